package io.tttv2.integration.tokenizers.chat;

import io.tttv2.integration.tokenizers.text.UnicodeChars;
import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python's {@code str} methods on strings ({@code content.strip()}, {@code role.startswith('sys')}, …), which
 * HuggingFace templates call and Jinjava, being Java, does not have. Only method calls on strings are
 * resolved here; everything else falls through to Jinjava's own resolvers.
 */
final class PythonStringMethods extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof CharSequence sequence) || method == null) {
            return null;
        }
        RenderGuard.check();
        Object[] args = params == null ? new Object[0] : params;
        String s = sequence.toString();
        Object result = switch (method.toString()) {
            case "strip" -> strip(s, arg(args, 0), true, true);
            case "lstrip" -> strip(s, arg(args, 0), true, false);
            case "rstrip" -> strip(s, arg(args, 0), false, true);
            case "startswith" -> args.length > 0 && s.startsWith(String.valueOf(args[0]));
            case "endswith" -> args.length > 0 && s.endsWith(String.valueOf(args[0]));
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" -> s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT)
                    + s.substring(1).toLowerCase(Locale.ROOT);
            case "replace" -> args.length >= 2 ? replace(s, String.valueOf(args[0]), String.valueOf(args[1]),
                    args.length > 2 && args[2] instanceof Number n ? n.longValue() : -1) : null;
            case "split" -> split(s, arg(args, 0), args.length > 1 ? ((Number) args[1]).intValue() : -1);
            case "find" -> args.length > 0 ? s.indexOf(String.valueOf(args[0])) : null;
            case "count" -> args.length > 0 ? count(s, String.valueOf(args[0])) : null;
            case "isspace" -> !s.isEmpty() && s.codePoints().allMatch(UnicodeChars::isWhitespace);
            case "isdigit" -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            default -> null;
        };
        if (result != null) {
            context.setPropertyResolved(true);
        }
        return result;
    }

    /** Python {@code str.replace(old, new[, count])}, refused before it is built if it would be too long. */
    private static String replace(String s, String target, String replacement, long count) {
        TemplateLimits.checkChars("str.replace", TemplateLimits.replacedLength(s, target, replacement, count));
        if (count < 0) {
            return s.replace(target, replacement);
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (long n = 0; n < count; n++) {
            int at = target.isEmpty() ? (n == 0 ? 0 : from + 1) : s.indexOf(target, from);
            if (at < 0 || at > s.length()) {
                break;
            }
            out.append(s, from, Math.min(at, s.length())).append(replacement);
            from = target.isEmpty() ? at : at + target.length();
        }
        return out.append(s, Math.min(from, s.length()), s.length()).toString();
    }

    private static String arg(Object[] args, int i) {
        return args.length > i && args[i] != null ? String.valueOf(args[i]) : null;
    }

    /** Python {@code str.strip([chars])}: whitespace, or any of {@code chars}. */
    static String strip(String s, String chars, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        while (left && start < end && stripped(s.charAt(start), chars)) {
            start++;
        }
        while (right && end > start && stripped(s.charAt(end - 1), chars)) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean stripped(char c, String chars) {
        return chars == null ? Character.isWhitespace(c) || UnicodeChars.isWhitespace(c) : chars.indexOf(c) >= 0;
    }

    /** Python {@code str.split(sep=None, maxsplit=-1)}. */
    private static List<String> split(String s, String separator, int maxSplit) {
        List<String> parts = new ArrayList<>();
        try {
            split(s, separator, maxSplit, parts);
        } finally {
            TemplateLimits.checkResult("str.split", parts);
        }
        return parts;
    }

    private static void split(String s, String separator, int maxSplit, List<String> parts) {
        if (separator == null) {
            for (String part : s.strip().split("\\s+", maxSplit < 0 ? 0 : maxSplit + 1)) {
                if (!part.isEmpty()) {
                    parts.add(part);
                }
            }
            return;
        }
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("str.split: empty separator");   // Python's ValueError
        }
        int from = 0;
        while ((maxSplit < 0 || parts.size() < maxSplit) && parts.size() <= TemplateLimits.MAX_ITEMS) {
            int at = s.indexOf(separator, from);
            if (at < 0) {
                break;
            }
            parts.add(s.substring(from, at));
            from = at + separator.length();
        }
        parts.add(s.substring(from));
    }

    private static int count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1;
        }
        int n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(previousCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
            previousCased = Character.isLetter(c);
        }
        return out.toString();
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        RenderGuard.check();     // every variable and attribute read passes here: a timed-out loop ends at its next
        return null;
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // strings are immutable: nothing to set
    }
}
