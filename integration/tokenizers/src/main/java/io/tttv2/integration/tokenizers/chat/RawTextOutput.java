package io.tttv2.integration.tokenizers.chat;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.lib.filter.EscapeFilter;
import com.hubspot.jinjava.mode.ExecutionMode;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;

/**
 * How {@code {{ … }}} writes its value: a string as it is, anything else as Jinjava's Python-style text
 * ({@code ['a', 'b']}). Jinjava writes strings through a JSON writer too, and only some of its escapes are
 * undone: a message holding a control character (U+0001) came out as the six characters {@code \u0001}
 * (found by ChatTemplateFuzzTest). jinja2 writes a string unchanged.
 */
final class RawTextOutput implements ExpressionStrategy, ExecutionMode {
    private static final long serialVersionUID = 1L;

    @Override
    public void prepareContext(Context context) {
        context.setExpressionStrategy(this);
    }

    @Override
    public RenderedOutputNode interpretOutput(ExpressionToken token, JinjavaInterpreter interpreter) {
        Object value = interpreter.resolveELExpression(token.getExpr(), token.getLineNumber());
        String text = value instanceof CharSequence s ? s.toString() : interpreter.getAsString(value);
        if (interpreter.getContext().isAutoEscape() && !(value instanceof SafeString)) {
            text = EscapeFilter.escapeHtmlEntities(text);
        }
        return new RenderedOutputNode(text);
    }
}
