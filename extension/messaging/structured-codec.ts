import { ContentTypeId, type ContentCodec, type EncodedContent } from '@xmtp/content-type-primitives';
import { fromUtf8, utf8 } from '../../shared/crypto/bytes';
import { describeContent, STRUCTURED_CONTENT_TYPE, StructuredContent } from '../../shared/messaging/content';

/**
 * XMTP codec for SecureMed's structured content: canonical JSON bytes inside the encrypted payload,
 * parsed by the one schema on decode. Other XMTP apps see the fallback text instead.
 */
export const ContentTypeStructured = new ContentTypeId(STRUCTURED_CONTENT_TYPE);

export class StructuredCodec implements ContentCodec<StructuredContent> {
  get contentType(): ContentTypeId {
    return ContentTypeStructured;
  }

  encode(content: StructuredContent): EncodedContent {
    return { type: ContentTypeStructured, parameters: {}, content: utf8(JSON.stringify(StructuredContent.parse(content))) };
  }

  decode(encoded: EncodedContent): StructuredContent {
    return StructuredContent.parse(JSON.parse(fromUtf8(encoded.content)));
  }

  fallback(content: StructuredContent): string {
    return `SecureMed: ${describeContent({ type: 'structured', value: content })}`;
  }

  shouldPush(): boolean {
    return true;
  }
}
