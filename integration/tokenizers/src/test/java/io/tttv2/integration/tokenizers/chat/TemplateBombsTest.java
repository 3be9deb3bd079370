package io.tttv2.integration.tokenizers.chat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tttv2.integration.tokenizers.ChatMessage;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Templates written to exhaust memory or time, through every way a value can grow: each must end in one
 * line naming the template, soon after the time limit at the latest, with its rendering thread gone (so its
 * memory is free) and no OutOfMemoryError on the way.
 */
class TemplateBombsTest {
    private static final Duration LIMIT = Duration.ofSeconds(2);
    /** Sets {@code s} to 2^19 = 524,288 characters, half the limit, by doubling (Jinjava has no {@code 'x' * n}). */
    private static final String BIG = "{% set ns = namespace(s='x') %}{% for i in range(19) %}{% set ns.s = ns.s ~ ns.s %}"
            + "{% endfor %}{% set s = ns.s %}";
    private static final String SHARED = "{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set ns.l = [ns.l, ns.l] %}"
            + "{% endfor %}{% set l = ns.l %}";
    private static final List<ChatMessage> HELLO = List.of(new ChatMessage("user", "hello"));

    @ParameterizedTest
    @ValueSource(strings = {
            // doubling by concatenation and multiplication (the latter jinja2 has, Jinjava refuses)
            "{% set s = 'x' %}{% for i in range(64) %}{% set s = s ~ s %}{% endfor %}{{ s }}",
            "{% set s = 'x' %}{% for i in range(64) %}{% set s = s + s %}{% endfor %}{{ s }}",
            "{% set s = 'x' %}{% for i in range(64) %}{% set s = s * 2 %}{% endfor %}{{ s }}",
            "{{ 'x' * 2000000000 }}",
            "{{ [1] * 2000000000 }}",
            "{% set l = [1] %}{% for i in range(64) %}{% set l = l + l %}{% endfor %}{{ l | length }}",
            // replace, as a Python method and as a filter, on a string just under the limit
            BIG + "{% for i in range(64) %}{% set s = s.replace('x', 'xx') %}{% endfor %}{{ s | length }}",
            BIG + "{% for i in range(64) %}{% set s = s | replace('x', 'xx') %}{% endfor %}{{ s | length }}",
            BIG + "{{ s.replace('x', s) | length }}",
            BIG + "{{ s | replace('x', s) | length }}",
            BIG + "{{ s.replace('', s) | length }}",
            BIG + "{{ s.split('') | length }}",
            BIG + "{{ s.split('x') | length }}",
            BIG + "{{ s | list | length }}",
            BIG + "{{ s.upper().lower().title() | length }}{{ s }}{{ s }}",
            // tojson of large, shared and cyclic structures
            "{{ messages | tojson(indent=2000000000) }}",
            SHARED + "{{ l | tojson }}",
            SHARED + "{{ l | string | length }}",
            SHARED + "{{ l | join(',') | length }}",
            SHARED + "{{ l }}",
            SHARED + "{{ (l ~ 'x') | length }}",
            SHARED + "{{ l + [1] }}",
            SHARED + "{{ 'x' in l }}{{ l == [l, 1] }}",
            SHARED + "{% for x in l %}{% for y in x %}{{ y }}{% endfor %}{% endfor %}",
            "{% set ns = namespace(d={}) %}{% for i in range(64) %}{% set ns.d = {'a': ns.d, 'b': ns.d} %}{% endfor %}{{ ns.d | tojson(indent=1) }}",
            "{% set l = [] %}{% do l.append(l) %}{{ l | tojson }}",
            BIG + "{{ range(100000) | map('string') | list | tojson }}{{ [s, s] | tojson }}",
            // other growing filters
            BIG + "{{ range(100000) | join(s) | length }}",
            "{{ '%2000000000s' | format('x') }}",
            "{{ 'x' | center(2000000000) }}",
            "{{ 'a\nb' | indent(2000000000) }}",
            "{{ range(1000) | batch(2000000000) | list | length }}",
            "{{ range(1000) | slice(2000000000) | list | length }}",
            "{{ 'x' | wordwrap(2000000000) }}",
            // what jinja2 does not have and would reach past the sandbox
            "{{ 'x' | render }}{{ '{{ 7 * 7 }}' | render }}",
            "{{ 'a: &a [x, x]' | fromyaml }}",
            // deep recursion and time
            "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
            "{% for i in range(100000) %}{% for j in range(100000) %}{% for k in range(100000) %}{% endfor %}{% endfor %}{% endfor %}",
            "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}",
            "{% set ns = namespace(n=0) %}{% for i in range(100000) %}{% for j in range(100000) %}{% set ns.n = ns.n + 1 %}{% endfor %}{% endfor %}",
    })
    void endsInOneLineSoonAndReleasesItsThread(String bomb) throws InterruptedException {
        JinjaChatTemplate chat = new JinjaChatTemplate("bomb.jinja", bomb, Map.of(), LIMIT);
        long start = System.nanoTime();
        String outcome;
        try {
            String rendered = chat.render(HELLO, false);
            outcome = "rendered " + rendered.length() + " chars";
            assertFalse(rendered.contains("49"), "a value was rendered as a template: " + rendered);
            assertTrue(rendered.length() <= SandboxedJinja.MAX_OUTPUT_CHARS, outcome);
        } catch (TokenizerException e) {
            outcome = e.getMessage();
            assertTrue(outcome.startsWith("bomb.jinja: "), outcome);
            assertFalse(outcome.contains("\n"), outcome);
            assertFalse(outcome.contains("OutOfMemoryError") || outcome.contains("StackOverflowError"), outcome);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < LIMIT.toMillis() + 1500, "took " + millis + " ms: " + outcome);
        for (int waited = 0; renderingThreads() > 0; waited += 50) {
            if (waited > 1000) {
                fail("the rendering thread still runs a second after: " + outcome);
            }
            Thread.sleep(50);
        }
    }

    private static long renderingThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("chat-template")).count();
    }
}
