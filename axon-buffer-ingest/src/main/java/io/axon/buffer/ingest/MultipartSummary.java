package io.axon.buffer.ingest;

/**
 * What a complete multipart body held, given with {@link MultipartListener#onComplete}.
 *
 * @param parts the number of parts
 * @param preambleBytes bytes before the first delimiter (its CRLF excluded), discarded
 * @param epilogueBytes bytes after the close delimiter {@code --boundary--}, discarded
 * @param bodyBytes all bytes fed
 */
public record MultipartSummary(int parts, long preambleBytes, long epilogueBytes, long bodyBytes) {}
