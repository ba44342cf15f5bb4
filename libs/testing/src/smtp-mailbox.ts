import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort, waitFor } from './ports';

export interface ReceivedMail {
  /** RCPT TO addresses of the envelope. */
  to: string[];
  from: string;
  parsed: ParsedMail;
}

/**
 * A real SMTP server on a free loopback port (smtp-server), for tests of what Homeward emails:
 * it requires the credentials of its URL (AUTH PLAIN/LOGIN over plain text, loopback only),
 * parses each message (mailparser) into `messages`, and answers 550 for addresses in `reject`,
 * 451 for those in `defer`.
 */
export class SmtpMailbox {
  readonly messages: ReceivedMail[] = [];
  /** Recipients refused with 550 (a permanent failure, RFC 5321 §4.2.2). */
  readonly reject = new Set<string>();
  /** Recipients answered 451, try again later (a transient failure, RFC 5321 §4.2.2). */
  readonly defer = new Set<string>();
  private server: SMTPServer | undefined;

  private constructor(
    readonly port: number,
    readonly username: string,
    readonly password: string,
  ) {}

  static async start(): Promise<SmtpMailbox> {
    const port = await freePort();
    const username = 'homeward-test';
    const password = `pw-${Math.random().toString(36).slice(2)}`;
    const mailbox = new SmtpMailbox(port, username, password);
    const server = new SMTPServer({
      secure: false,
      // smtp-server's own certificate is self-signed: no STARTTLS, so clients need no trust override.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === username && auth.password === password) callback(null, { user: username });
        else callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
      },
      onRcptTo(address, _session, callback) {
        const recipient = address.address.toLowerCase();
        if (mailbox.reject.has(recipient))
          callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
        else if (mailbox.defer.has(recipient))
          callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        else callback();
      },
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            mailbox.messages.push({
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              parsed,
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    mailbox.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return mailbox;
  }

  /** SMTP_URL for Homeward, with the mailbox's credentials. */
  get url(): string {
    return `smtp://${this.username}:${this.password}@127.0.0.1:${this.port}`;
  }

  /** Messages to `address`. */
  to(address: string): ReceivedMail[] {
    return this.messages.filter((message) => message.to.includes(address));
  }

  waitFor(predicate: (message: ReceivedMail) => boolean, what = 'an email'): Promise<ReceivedMail> {
    return waitFor(() => this.messages.find(predicate), { what, timeoutMs: 20_000 });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
