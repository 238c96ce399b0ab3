package io.axon.buffer.ingest;

import io.axon.buffer.core.internal.Swar;
import io.axon.buffer.ingest.HeaderParameters.SyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One part's header block, read from the chunks a {@link MultipartParser} is fed ({@link #read})
 * and parsed into {@link ParsedPartHeaders} once its empty line is seen ({@link #parse}). Internal.
 *
 * <p>It keeps the header lines without their line breaks (the only bytes besides payload the parser
 * copies), checks each byte as it goes (bare CR, bare LF in strict mode, control characters) and
 * enforces {@link MultipartOptions#maxHeaderBytesPerPart()} and {@link
 * MultipartOptions#maxHeaderBytesTotal()} (raw bytes, line breaks included) before storing the
 * bytes past them. The grammar is documented on {@link MultipartFault#MALFORMED_HEADER} and {@link
 * PartHeaders}; folded lines are unfolded (the line break and the leading white space become one
 * space).
 *
 * <p>One instance serves every part of a body: {@link #start} begins the next block; the total
 * limit counts across them. Not thread-safe.
 */
final class PartHeaderBlock {

  /**
   * The most bytes of a direct chunk copied per {@link #read} call: a header block is usually a
   * line or two, and the part's payload follows it in the chunk.
   */
  private static final int SCRATCH = 256;

  /**
   * The header names a part's headers are read for, as clients spell them: a name spelled exactly
   * so is recognised by its bytes and reuses the constant (no string is made for it, and no check
   * of its characters is needed). Other spellings are decoded and compared case-insensitively.
   */
  private static final String CONTENT_DISPOSITION = "Content-Disposition";

  private static final String CONTENT_TYPE = "Content-Type";
  private static final String CONTENT_TRANSFER_ENCODING = "Content-Transfer-Encoding";
  private static final String[] KNOWN_NAMES = {
    CONTENT_DISPOSITION, CONTENT_TYPE, CONTENT_TRANSFER_ENCODING
  };
  private static final byte[][] KNOWN_NAME_BYTES = {
    CONTENT_DISPOSITION.getBytes(StandardCharsets.US_ASCII),
    CONTENT_TYPE.getBytes(StandardCharsets.US_ASCII),
    CONTENT_TRANSFER_ENCODING.getBytes(StandardCharsets.US_ASCII)
  };

  /**
   * The block of a plain form field, as browsers and HTTP clients write it: {@code
   * Content-Disposition: form-data; name="..."} and the empty line, CRLF each. Recognised whole in
   * one chunk, it is read without storing its line ({@link #formField}).
   */
  private static final byte[] FORM_FIELD_HEAD =
      "Content-Disposition: form-data; name=\"".getBytes(StandardCharsets.US_ASCII);

  /** Where the value starts in {@link #FORM_FIELD_HEAD}: after the colon and one space. */
  private static final int FORM_FIELD_VALUE = CONTENT_DISPOSITION.length() + 2;

  private final int maxPerPart;
  private final long maxTotal;
  private final boolean lenient;
  private final boolean requireFieldName;

  /** The header lines, without their line breaks, back to back; {@link #lineEnds} cut them. */
  private byte[] bytes = new byte[256];

  private int length;
  private int[] lineEnds = new int[8];
  private int lines;
  private int lineStart;

  /** Raw bytes of this block read so far (line breaks included). */
  private int rawBytes;

  /** Raw bytes of every block of the body. */
  private long totalBytes;

  private boolean sawCr;
  private boolean complete;

  /** The headers of a block {@link #formField} read, else null. */
  private ParsedPartHeaders formField;

  /** Where a direct chunk is read through, allocated on first use. */
  private byte[] scratch;

  PartHeaderBlock(MultipartOptions options) {
    this.maxPerPart = options.maxHeaderBytesPerPart();
    this.maxTotal = options.maxHeaderBytesTotal();
    this.lenient = options.lenientLineEndings();
    this.requireFieldName = options.requireFieldName();
  }

  /** Begins the next part's block. */
  void start() {
    length = 0;
    lines = 0;
    lineStart = 0;
    rawBytes = 0;
    sawCr = false;
    complete = false;
    formField = null;
  }

  /** True once the empty line that ends the block was read. */
  boolean complete() {
    return complete;
  }

  /** Raw bytes of the current block read so far. */
  int rawBytes() {
    return rawBytes;
  }

  /**
   * Reads header bytes from {@code chunk} at {@code [j, lim)} (absolute indexes; position and limit
   * are ignored), up to and including the empty line that ends the block ({@link #complete()} then
   * turns true) or to {@code lim}.
   *
   * @param base the body offset of chunk index 0, for the offsets errors name
   * @param partIndex the part whose block this is, for errors (and the headers' index, when the
   *     block is read in one step; {@link #parse} is then given the same)
   * @return the index after the last byte read
   * @throws MultipartException {@link MultipartFault#MALFORMED_HEADER} for a bad byte, {@link
   *     MultipartFault#LIMIT_EXCEEDED} for a block past a header limit
   */
  int read(ByteBuffer chunk, int j, int lim, long base, int partIndex) {
    // Bytes that may still be stored before a limit is hit; checked once per call, not per byte.
    long room = Math.min(maxPerPart - rawBytes, maxTotal - totalBytes);
    int end = (int) Math.min(lim, j + room);
    // Read from the chunk's array when it has one; a direct chunk is read through a small copy.
    final byte[] a;
    final int shift;
    boolean limited = end < lim;
    if (chunk.hasArray()) {
      a = chunk.array();
      shift = chunk.arrayOffset();
    } else {
      int n = Math.min(end - j, SCRATCH);
      if (scratch == null) {
        scratch = new byte[SCRATCH];
      }
      chunk.get(j, scratch, 0, n);
      a = scratch;
      shift = -j;
      limited &= j + n == end;
      end = j + n;
    }
    if (rawBytes == 0) {
      int n = formField(a, shift + j, shift + end, partIndex);
      if (n > 0) {
        rawBytes = n;
        totalBytes += n;
        complete = true;
        return j + n;
      }
    }
    int start = j;
    int run = j; // line bytes [run, j) not yet stored
    try {
      while (j < end) {
        if (!sawCr) {
          j = Swar.indexOfAsciiControl(a, shift + j, shift + end) - shift;
          if (j >= end) {
            break;
          }
        }
        byte c = a[shift + j++];
        if (sawCr) {
          if (c != '\n') {
            throw malformed(
                "CR not followed by LF (" + Text.describeByte(c) + " follows)",
                base + j - 1,
                partIndex);
          }
          sawCr = false;
          run = j;
          if (endLine()) {
            complete = true;
            return j;
          }
        } else if (c == '\r') {
          add(chunk, run, j - 1);
          run = j;
          sawCr = true;
        } else if (c == '\n') {
          if (!lenient) {
            throw malformed(
                "bare LF ending a header line (strict CRLF mode; enable"
                    + " lenientLineEndings to accept it)",
                base + j - 1,
                partIndex);
          }
          add(chunk, run, j - 1);
          run = j;
          if (endLine()) {
            complete = true;
            return j;
          }
        } else if (c != '\t') {
          throw malformed(
              "control character " + Text.describeByte(c) + " in a header line",
              base + j - 1,
              partIndex);
        }
      }
      add(chunk, run, j);
    } finally {
      rawBytes += j - start;
      totalBytes += j - start;
    }
    if (limited && j == end) {
      if (rawBytes >= maxPerPart) {
        throw MultipartException.limitExceeded(
            MultipartLimit.HEADER_BYTES_PER_PART,
            maxPerPart,
            "the header block of part " + partIndex + " is longer than " + maxPerPart + " bytes",
            base + j,
            partIndex);
      }
      throw MultipartException.limitExceeded(
          MultipartLimit.HEADER_BYTES_TOTAL,
          maxTotal,
          "the header blocks are longer than " + maxTotal + " bytes in total",
          base + j,
          partIndex);
    }
    return j;
  }

  /**
   * Reads a whole plain form field block at the start of {@code a[from, to)}: {@link
   * #FORM_FIELD_HEAD}, a name of printable ASCII without {@code "} or {@code \}, {@code "}, then
   * CRLF CRLF. The general path reads such a block to the same headers (the parser's property test
   * compares the two); anything else (another header, a folded line, white space, a byte outside
   * printable ASCII, the block cut by the chunk's end or a limit) is left to it.
   *
   * @param partIndex the part's index, for its headers
   * @return the block's length, or 0 if it is not one
   */
  private int formField(byte[] a, int from, int to, int partIndex) {
    int name = from + FORM_FIELD_HEAD.length;
    if (name > to || !Arrays.equals(a, from, name, FORM_FIELD_HEAD, 0, FORM_FIELD_HEAD.length)) {
      return 0;
    }
    int quote = name;
    for (; quote < to && a[quote] != '"'; quote++) {
      byte c = a[quote];
      if (c < 0x20 || c == 0x7f || c == '\\') { // negative: 0x80 and above
        return 0;
      }
    }
    int end = quote + 5;
    if (end > to
        || a[quote + 1] != '\r'
        || a[quote + 2] != '\n'
        || a[quote + 3] != '\r'
        || a[quote + 4] != '\n') {
      return 0;
    }
    String value =
        new String(
            a,
            from + FORM_FIELD_VALUE,
            quote + 1 - from - FORM_FIELD_VALUE,
            StandardCharsets.ISO_8859_1);
    String fieldName = new String(a, name, quote - name, StandardCharsets.ISO_8859_1);
    formField =
        new ParsedPartHeaders(
            partIndex,
            ContentDisposition.formField(fieldName),
            null,
            null,
            List.of(new HeaderField(CONTENT_DISPOSITION, value)));
    return end - from;
  }

  private static MultipartException malformed(String detail, long offset, int partIndex) {
    return MultipartException.at(MultipartFault.MALFORMED_HEADER, detail, offset, partIndex);
  }

  /** Stores bytes {@code [from, to)} of {@code chunk} (part of the current line). */
  private void add(ByteBuffer chunk, int from, int to) {
    int n = to - from;
    if (n <= 0) {
      return;
    }
    if (length + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
    }
    chunk.get(from, bytes, length, n);
    length += n;
  }

  /** Ends a line; true if it was the empty line that ends the block. */
  private boolean endLine() {
    if (length == lineStart) {
      return true;
    }
    if (lines == lineEnds.length) {
      lineEnds = Arrays.copyOf(lineEnds, lines * 2);
    }
    lineEnds[lines++] = length;
    lineStart = length;
    return false;
  }

  /**
   * The headers of the complete block.
   *
   * @param index the part's index
   * @param blockEnd the body offset just past the block, for errors
   * @throws MultipartException {@link MultipartFault#MALFORMED_HEADER} or {@link
   *     MultipartFault#MALFORMED_CONTENT_DISPOSITION}
   */
  ParsedPartHeaders parse(int index, long blockEnd) {
    if (formField != null) {
      return formField;
    }
    // One pass: each field is kept once its folded continuation lines (if any) are read. Most
    // parts have one header field: it is kept alone, and a list is made from the second on.
    HeaderField first = null;
    List<HeaderField> fields = null;
    String name = null;
    String value = null;
    String disposition = null;
    String contentType = null;
    String cte = null;
    int dispositions = 0;
    int start = 0;
    for (int l = 0; l <= lines; l++) {
      int end = l < lines ? lineEnds[l] : start;
      boolean continuation = l < lines && (bytes[start] == ' ' || bytes[start] == '\t');
      if (continuation) {
        if (name == null) {
          throw malformed(
              "the first header line starts with white space: \"" + line(start, end) + "\"",
              blockEnd,
              index);
        }
        String more = trimmed(start, end);
        if (!more.isEmpty()) {
          value = value.isEmpty() ? more : value + " " + more;
        }
        start = end;
        continue;
      }
      if (name != null) {
        HeaderField f = new HeaderField(name, value);
        if (first == null) {
          first = f;
        } else {
          if (fields == null) {
            fields = new ArrayList<>(lines);
            fields.add(first);
          }
          fields.add(f);
        }
        if (name == CONTENT_DISPOSITION || f.isLower("content-disposition")) {
          dispositions++;
          disposition = value;
        } else if (name == CONTENT_TYPE || f.isLower("content-type")) {
          contentType = single(CONTENT_TYPE, contentType, value, blockEnd, index);
        } else if (name == CONTENT_TRANSFER_ENCODING || f.isLower("content-transfer-encoding")) {
          cte = single(CONTENT_TRANSFER_ENCODING, cte, value, blockEnd, index);
        }
      }
      if (l == lines) {
        break;
      }
      int colon = -1;
      for (int i = start; i < end; i++) {
        if (bytes[i] == ':') {
          colon = i;
          break;
        }
      }
      if (colon < 0) {
        throw malformed(
            "header line without a colon: \"" + line(start, end) + "\"", blockEnd, index);
      }
      name = knownName(start, colon);
      if (name == null) {
        name = new String(bytes, start, colon - start, StandardCharsets.ISO_8859_1);
        if (!isToken(start, colon)) {
          throw malformed(
              "invalid header field name \"" + Text.printable(name) + "\"", blockEnd, index);
        }
      }
      value = trimmed(colon + 1, end);
      start = end;
    }
    List<HeaderField> headers =
        fields != null
            ? Collections.unmodifiableList(fields)
            : first != null ? List.of(first) : List.of();
    if (dispositions > 1) {
      throw MultipartException.at(
          MultipartFault.MALFORMED_CONTENT_DISPOSITION,
          "Content-Disposition given " + dispositions + " times",
          blockEnd,
          index);
    }
    ContentDisposition cd = ContentDisposition.NONE;
    if (disposition != null) {
      try {
        cd = ContentDisposition.parse(disposition);
      } catch (SyntaxException e) {
        throw MultipartException.at(
            MultipartFault.MALFORMED_CONTENT_DISPOSITION,
            e.getMessage() + " in \"" + Text.printable(disposition) + "\"",
            blockEnd,
            index);
      }
    }
    if (cd.name == null && requireFieldName) {
      throw MultipartException.at(
          MultipartFault.MALFORMED_CONTENT_DISPOSITION,
          (disposition == null
                  ? "part has no Content-Disposition header"
                      + (headers.isEmpty() ? " (no headers at all)" : " (headers: " + headers + ")")
                  : "no name parameter in \"" + Text.printable(disposition) + "\"")
              + " (requireFieldName)",
          blockEnd,
          index);
    }
    return new ParsedPartHeaders(index, cd, contentType, cte, headers);
  }

  /** The constant for the header name at {@code bytes[start, end)} if it is spelled as one. */
  private String knownName(int start, int end) {
    int n = end - start;
    for (int k = 0; k < KNOWN_NAMES.length; k++) {
      byte[] known = KNOWN_NAME_BYTES[k];
      if (known.length == n && Arrays.equals(bytes, start, end, known, 0, n)) {
        return KNOWN_NAMES[k];
      }
    }
    return null;
  }

  /** {@code value}, the first of header {@code name}; a second one is an error. */
  private static String single(String name, String first, String value, long blockEnd, int index) {
    if (first != null) {
      throw malformed(
          name
              + " given twice: \""
              + Text.printable(first)
              + "\" and \""
              + Text.printable(value)
              + "\"",
          blockEnd,
          index);
    }
    return value;
  }

  private boolean isToken(int start, int end) {
    if (start == end) {
      return false;
    }
    for (int i = start; i < end; i++) {
      if (!HeaderParameters.isTchar((char) (bytes[i] & 0xff))) {
        return false;
      }
    }
    return true;
  }

  /** The bytes {@code [start, end)} without surrounding spaces and tabs, decoded. */
  private String trimmed(int start, int end) {
    while (start < end && (bytes[start] == ' ' || bytes[start] == '\t')) {
      start++;
    }
    while (end > start && (bytes[end - 1] == ' ' || bytes[end - 1] == '\t')) {
      end--;
    }
    return ExtendedValues.decodeHeaderBytes(bytes, start, end);
  }

  private String line(int start, int end) {
    return Text.printable(ExtendedValues.decodeHeaderBytes(bytes, start, end));
  }
}
