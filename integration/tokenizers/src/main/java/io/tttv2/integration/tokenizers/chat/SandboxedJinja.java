package io.tttv2.integration.tokenizers.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.lib.filter.Filter;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jinjava.javax.el.CompositeELResolver;

/**
 * A Jinjava engine set up like {@code transformers}' chat-template environment ({@code trim_blocks},
 * {@code lstrip_blocks} through {@link LstripBlocks}, loop controls, {@code {% generation %}}, {@code raise_exception}, {@code strftime_now}, Python's {@code tojson}
 * and string methods), and sandboxed: templates cannot load other templates (no resource locator), output is
 * capped at {@link #MAX_OUTPUT_CHARS}, ranges and recursion are bounded, every filter and string method is
 * held to {@link TemplateLimits}, and {@link RenderGuard} ends a rendering that reached a limit or was interrupted.
 */
final class SandboxedJinja {
    /** The largest rendering allowed: far beyond any prompt, small enough to stop a runaway loop. */
    static final long MAX_OUTPUT_CHARS = TemplateLimits.MAX_CHARS;

    /**
     * Jinjava's filters that jinja2 does not have and that reach past the sandbox: {@code render} renders a value
     * as a template (what nested interpretation did), the YAML ones parse or write unbounded YAML.
     */
    static final Set<String> DISABLED_FILTERS = Set.of("render", "fromyaml", "toyaml");

    /**
     * Jinja2's own semantics where Jinjava's historical ones differ: {{- -}} trimming, operator precedence,
     * strict whitespace control, dict keys as expressions, iterating a dict yields its keys, Python-style
     * output of lists and dicts. Not {@code whitespaceRequiredWithinTokens}: Jinja2 accepts {@code {{'x'}}}.
     */
    private static final LegacyOverrides JINJA2_SEMANTICS = LegacyOverrides.newBuilder()
            .withUseTrimmingForNotesAndExpressions(true)
            .withUseNaturalOperatorPrecedence(true)
            .withParseWhitespaceControlStrictly(true)
            .withAllowAdjacentTextNodes(true)
            .withEvaluateMapKeys(true)
            .withIterateOverMapKeys(true)
            .withUsePyishObjectMapper(true)
            .withKeepNullableLoopValues(true)
            .build();

    private SandboxedJinja() {
    }

    /**
     * Runs {@code action} with this bundle's class loader as the thread's context class loader: Jinjava's
     * expression engine loads its own classes through it, and in OSGi the caller's loader cannot see the
     * Jinjava jars embedded in this bundle.
     */
    static <T> T withOwnClassLoader(java.util.function.Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SandboxedJinja.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    static Jinjava create() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStringMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                // Jinja2 never renders a value's text again; Jinjava does by default, which would run a
                // user's message ("{{ … }}", "{% … %}") as template code. Values are data, never templates.
                .withNestedInterpretationEnabled(false)
                // lstrip_blocks: see LstripBlocks, applied to the template text instead
                .withMaxOutputSize(MAX_OUTPUT_CHARS)
                .withMaxStringLength(MAX_OUTPUT_CHARS)
                .withRangeLimit(TemplateLimits.MAX_ITEMS)
                .withMaxListSize(TemplateLimits.MAX_ITEMS)
                .withMaxMapSize(TemplateLimits.MAX_ITEMS)
                .withNodePreProcessor(new RenderGuard())
                .withObjectUnwrapper(new SizeCheckingUnwrapper())
                .withExecutionMode(new RawTextOutput())
                .withDisabled(Map.of(Context.Library.FILTER, DISABLED_FILTERS))
                .withMaxRenderDepth(10)
                .withEnableRecursiveMacroCalls(false)
                .withFailOnUnknownTokens(false)
                .withElResolver(resolver)
                .withLegacyOverrides(JINJA2_SEMANTICS)
                .build();
        Jinjava jinjava = withOwnClassLoader(() -> new Jinjava(config));
        jinjava.setResourceLocator((name, encoding, interpreter) -> {
            throw new IOException("chat templates may not load '" + name + "': file access is disabled");
        });
        try {
            jinjava.registerFunction(new ELFunctionDefinition("", "raise_exception",
                    TemplateFunctions.class.getMethod("raiseException", Object.class)));
            jinjava.registerFunction(new ELFunctionDefinition("", "strftime_now",
                    TemplateFunctions.class.getMethod("strftimeNow", String.class)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        jinjava.registerFilter(new ToJsonFilter());
        jinjava.registerFilter(new TrimFilter());
        for (Filter filter : List.copyOf(jinjava.getGlobalContext().getAllFilters())) {
            jinjava.registerFilter(new BoundedFilter(filter));
        }
        jinjava.registerTag(new GenerationTag());
        return jinjava;
    }
}
