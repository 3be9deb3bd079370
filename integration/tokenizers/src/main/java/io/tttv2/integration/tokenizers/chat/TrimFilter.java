package io.tttv2.integration.tokenizers.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;

/**
 * jinja2's {@code trim(chars=None)}: Python's {@code str.strip}, which removes whitespace only. Jinjava's own
 * removes every character up to U+0020, control characters included, so a message beginning or ending with one
 * came out changed (found by ChatTemplateFuzzTest).
 */
final class TrimFilter implements Filter {
    @Override
    public String getName() {
        return "trim";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        if (var == null) {
            return null;
        }
        String chars = args.length > 0 ? args[0] : null;
        return PythonStringMethods.strip(var.toString(), chars, true, true);
    }
}
