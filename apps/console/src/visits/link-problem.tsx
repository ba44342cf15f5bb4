import type { LinkProblem } from './visit-labels';

const PAGES: Readonly<Record<LinkProblem, { title: string; text: string }>> = {
  used: {
    title: 'This link has already been used',
    text: 'Each visit link works only once. If you were cut off, or someone else opened it, ask your care team to send you a new link.',
  },
  expired: {
    title: 'This link has expired',
    text: 'Visit links only work for a short time. Contact your care team and they will send you a new one.',
  },
  replaced: {
    title: 'This link was replaced by a newer one',
    text: 'Your care team sent you a newer link for this visit. Please open the link in their latest message.',
  },
  visit_ended: {
    title: 'This visit has ended',
    text: 'The video visit this link was for is over. If you still need to talk to your care team, contact them.',
  },
  not_found: {
    title: 'We could not find this visit',
    text: 'Check that you opened the whole link from your message. If it still does not work, contact your care team.',
  },
  not_configured: {
    title: 'Video visits are not available right now',
    text: 'Please contact your care team by phone instead.',
  },
  rate_limited: {
    title: 'Too many tries',
    text: 'Please wait a minute, then open the link again.',
  },
  unavailable: {
    title: 'Something went wrong on our side',
    text: 'Please wait a minute and open the link again. If it still does not work, contact your care team.',
  },
};

/** A plain page for a link that does not open a visit: what happened and what to do, no codes. */
export function LinkProblemPage({ problem }: { problem: LinkProblem }) {
  const page = PAGES[problem];
  return (
    <section className="link-problem" data-problem={problem} aria-labelledby="link-problem-title">
      <h1 id="link-problem-title">{page.title}</h1>
      <p>{page.text}</p>
    </section>
  );
}
