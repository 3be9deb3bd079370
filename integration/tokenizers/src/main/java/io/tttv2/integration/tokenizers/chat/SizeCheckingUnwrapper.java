package io.tttv2.integration.tokenizers.chat;

import com.hubspot.jinjava.el.JinjavaObjectUnwrapper;

/**
 * Jinjava passes every variable read and every expression's value through its unwrapper: here each is also
 * checked against {@link TemplateLimits#checkExpandedSize}. A list that holds itself twice ({@code [l, l]})
 * doubles what it stands for at each step at no cost in memory, and Jinjava's own code (the {@code ~}
 * operator, comparisons, hashing) walks it with Java's unbounded {@code toString}, {@code equals} and
 * {@code hashCode}, which no interrupt stops. Checked where it is read, such a value is refused long before.
 */
final class SizeCheckingUnwrapper extends JinjavaObjectUnwrapper {
    @Override
    public Object unwrapObject(Object object) {
        RenderGuard.check();
        Object value = super.unwrapObject(object);
        TemplateLimits.checkExpandedSize("a value", value);
        return value;
    }
}
