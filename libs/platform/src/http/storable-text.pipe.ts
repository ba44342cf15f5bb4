import { BadRequestException, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { findUnstorableText } from '@homeward/contracts';

/**
 * Refuses text PostgreSQL cannot store (NUL, lone surrogates) anywhere in a request's body,
 * query or path, naming where it is, before validation or SQL sees it (PostgreSQL's
 * `text` and `jsonb` refuse NUL, failing the whole transaction).
 */
@Injectable()
export class StorableTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const pointer = findUnstorableText(value);
    if (pointer === undefined) return value;
    const where = metadata.type === 'body' ? 'body' : metadata.type === 'query' ? 'query' : 'path';
    const at = metadata.data ? `/${metadata.data}${pointer === '/' ? '' : pointer}` : pointer;
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      code: 'unstorable_text',
      message: `${where} ${at} contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored`,
    });
  }
}
