package io.tttv2.integration.tokenizers.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.SafeString;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A filter held to {@link TemplateLimits}: the arguments that size its result (a width, a count, a format's
 * padding, a replacement) are checked before it runs, so that one call cannot allocate gigabytes, and its
 * result is checked after. Every filter of the engine is wrapped in one (see {@link SandboxedJinja}).
 */
final class BoundedFilter implements Filter {
    /** A printf width or precision: {@code %2000000000s} would pad to two billion characters. */
    private static final Pattern FORMAT_SIZES = Pattern.compile("%[-#+ 0,(<]*(\\d+)?(?:\\.(\\d+))?");

    private final Filter filter;

    BoundedFilter(Filter filter) {
        this.filter = filter;
    }

    @Override
    public String getName() {
        return filter.getName();
    }

    @Override
    public boolean preserveSafeString() {
        return filter.preserveSafeString();
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        before(var, args, Map.of());
        return TemplateLimits.checkResult("filter '" + getName() + "'", filter.filter(var, interpreter, args));
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        before(var, args, kwargs);
        return TemplateLimits.checkResult("filter '" + getName() + "'", filter.filter(var, interpreter, args, kwargs));
    }

    @Override
    public Object filter(SafeString var, JinjavaInterpreter interpreter, String... args) {
        before(var, args, Map.of());
        return TemplateLimits.checkResult("filter '" + getName() + "'", filter.filter(var, interpreter, args));
    }

    private void before(Object var, Object[] args, Map<String, Object> kwargs) {
        RenderGuard.check();
        String what = "filter '" + getName() + "'";
        // most filters write their input as text; a structure that repeats itself would never finish
        TemplateLimits.checkExpandedSize(what, var);
        String text = var instanceof CharSequence || var instanceof SafeString ? var.toString() : "";
        switch (getName()) {
            case "replace" -> {
                if (args.length >= 2 && var != null) {
                    long count = args.length > 2 ? number(args[2], -1) : number(kwargs.get("count"), -1);
                    TemplateLimits.checkChars(what, TemplateLimits.replacedLength(text, String.valueOf(args[0]),
                            String.valueOf(args[1]), count));
                }
            }
            case "center", "indent", "wordwrap", "truncate" -> {
                long width = number(args.length > 0 ? args[0] : kwargs.get("width"), 0);
                TemplateLimits.checkSize(what + ": width", width);
                if (getName().equals("indent")) {
                    long lines = text.chars().filter(c -> c == '\n').count() + 1;
                    TemplateLimits.checkChars(what, text.length() + lines * width);
                }
            }
            case "batch", "slice" -> TemplateLimits.checkSize(what + ": count", number(args.length > 0 ? args[0] : null, 0));
            case "join" -> {
                if (var instanceof Collection<?> items && args.length > 0 && args[0] != null) {
                    TemplateLimits.checkChars(what, (long) items.size() * String.valueOf(args[0]).length());
                }
            }
            case "format" -> {
                Matcher m = FORMAT_SIZES.matcher(text);
                while (m.find()) {
                    TemplateLimits.checkSize(what + ": width", number(m.group(1), 0));
                    TemplateLimits.checkSize(what + ": precision", number(m.group(2), 0));
                }
            }
            default -> {
                // no argument sizes the result: checking it afterwards is enough
            }
        }
    }

    /** An argument as a whole number; {@code otherwise} if it is none (the filter itself reports that). */
    private static long number(Object arg, long otherwise) {
        if (arg instanceof Number n) {
            return n.longValue();
        }
        if (arg == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(arg.toString().strip());
        } catch (NumberFormatException e) {
            try {
                return (long) Double.parseDouble(arg.toString().strip());
            } catch (NumberFormatException notANumber) {
                return otherwise;
            }
        }
    }
}
