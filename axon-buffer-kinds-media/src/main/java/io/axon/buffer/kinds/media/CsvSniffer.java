package io.axon.buffer.kinds.media;

import io.axon.buffer.BufferKindRegistry;
import java.nio.ByteBuffer;

/**
 * A CSV heuristic (RFC 4180, comma-separated, quoted fields with {@code ""} escapes and embedded
 * line breaks): text whose records all have the same number of fields, at least two fields and at
 * least two records. CSV has no signature, so scores stay below {@link
 * io.axon.buffer.KindSniffer#SIGNATURE} and below a complete JSON document's:
 *
 * <ul>
 *   <li>2 consistent records: 30; 3 or 4: 35; 5 or more: 40;
 *   <li>halved when most fields after a comma start with a space (prose, not data);
 *   <li>0 for binary bytes (NUL and other control characters but tab, CR and LF), an unterminated
 *       quote, inconsistent field counts, or text that starts with <code>{</code> or <code>[</code>
 *       (JSON).
 * </ul>
 *
 * When the head is exactly {@link BufferKindRegistry#SNIFF_HEAD_BYTES} long the content may go on,
 * so a last record without its line break is not counted.
 */
final class CsvSniffer {

  private CsvSniffer() {}

  static int sniff(ByteBuffer head) {
    int p = head.position();
    int end = head.limit();
    boolean mayContinue = end - p >= BufferKindRegistry.SNIFF_HEAD_BYTES;
    p = Bytes.skipUtf8Bom(head, p, end);
    if (p < end && (head.get(p) == '{' || head.get(p) == '[')) {
      return 0;
    }
    int records = 0;
    int fieldsPerRecord = -1;
    int fields = 1;
    int fieldsAfterComma = 0;
    int spacedFields = 0;
    boolean inQuotes = false;
    boolean recordHasBytes = false;
    boolean fieldStart = true;
    boolean afterClosingQuote = false; // a quote that closed a quoted field: "" if another follows
    boolean afterCr = false; // a CR that ended a record: an LF right after it is the same break
    // The index only moves in the loop header, so the JIT sees a counted loop.
    for (int i = p; i < end; i++) {
      int c = head.get(i) & 0xFF;
      if (c > '"' && c != ',' && c != 0x7F) {
        if (!inQuotes) { // the common case: an ordinary character of a field
          fieldStart = false;
          recordHasBytes = true;
        }
        afterClosingQuote = false;
        afterCr = false;
        continue;
      }
      if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F) {
        return 0;
      }
      if (inQuotes) {
        if (c == '"') {
          inQuotes = false;
          afterClosingQuote = true;
        }
        continue;
      }
      if (c == '"') {
        if (afterClosingQuote || fieldStart) {
          inQuotes = true; // an escaped quote, or the start of a quoted field
          fieldStart = false;
          recordHasBytes = true;
        }
        afterClosingQuote = false;
        afterCr = false;
        continue;
      }
      afterClosingQuote = false;
      if (c == ',') {
        fields++;
        fieldsAfterComma++;
        fieldStart = true;
        recordHasBytes = true;
        afterCr = false;
        if (i + 1 < end && head.get(i + 1) == ' ') {
          spacedFields++;
        }
        continue;
      }
      if (c == '\n' && afterCr) {
        afterCr = false;
        continue;
      }
      if (c == '\n' || c == '\r') {
        afterCr = c == '\r';
        if (recordHasBytes) {
          if (fieldsPerRecord < 0) {
            fieldsPerRecord = fields;
          } else if (fields != fieldsPerRecord) {
            return 0;
          }
          records++;
        }
        fields = 1;
        recordHasBytes = false;
        fieldStart = true;
        continue;
      }
      // space, '!', tab: ordinary too
      fieldStart = false;
      recordHasBytes = true;
      afterCr = false;
    }
    if (inQuotes && !mayContinue) {
      return 0;
    }
    if (recordHasBytes && !mayContinue && !inQuotes) {
      if (fieldsPerRecord >= 0 && fields != fieldsPerRecord) {
        return 0;
      }
      if (fieldsPerRecord < 0) {
        fieldsPerRecord = fields;
      }
      records++;
    }
    if (records < 2 || fieldsPerRecord < 2) {
      return 0;
    }
    int score = records >= 5 ? 40 : records >= 3 ? 35 : 30;
    if (spacedFields * 2 > fieldsAfterComma) {
      score /= 2;
    }
    return score;
  }
}
