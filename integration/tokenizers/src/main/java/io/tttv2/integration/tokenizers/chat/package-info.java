/** Chat templates: HuggingFace's Jinja templates rendered with Jinjava, sandboxed. */
package io.tttv2.integration.tokenizers.chat;
