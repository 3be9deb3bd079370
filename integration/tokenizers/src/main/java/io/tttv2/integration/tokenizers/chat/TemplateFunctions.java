package io.tttv2.integration.tokenizers.chat;

import com.hubspot.jinjava.objects.date.StrftimeFormatter;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * The globals {@code transformers} gives chat templates: {@code raise_exception(message)} and
 * {@code strftime_now(format)}.
 */
public final class TemplateFunctions {

    private TemplateFunctions() {
    }

    /** Aborts rendering with the template's own message. */
    public static Object raiseException(Object message) {
        throw new TemplateRaisedException(String.valueOf(message));
    }

    /** The current local time formatted with a Python {@code strftime} pattern. */
    public static String strftimeNow(String format) {
        return StrftimeFormatter.format(ZonedDateTime.now(), format, Locale.ENGLISH);
    }

    /** What {@code raise_exception} throws, to tell it apart from engine errors. */
    public static final class TemplateRaisedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TemplateRaisedException(String message) {
            super(message);
        }
    }
}
