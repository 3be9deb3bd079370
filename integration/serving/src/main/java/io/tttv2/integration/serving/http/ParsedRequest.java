package io.tttv2.integration.serving.http;

import io.tttv2.integration.generation.SamplingParams;

/**
 * A completions or chat request, checked and turned into what the scheduler takes.
 *
 * @param promptIds    [P] the prompt (for chat, the rendered conversation) as tokens
 * @param params       sampling, {@code max_tokens}, stop strings and stop tokens
 * @param stream       answer with server-sent events
 * @param includeUsage in a stream, end with a chunk carrying {@code usage} ({@code stream_options.include_usage})
 */
record ParsedRequest(int[] promptIds, SamplingParams params, boolean stream, boolean includeUsage) {
}
