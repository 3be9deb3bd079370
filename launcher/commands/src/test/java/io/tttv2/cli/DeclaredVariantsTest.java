package io.tttv2.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.candidate.CandidateNamespace;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;

/** Which model bundles are worth activating for an architecture, by their manifests' candidate capabilities. */
class DeclaredVariantsTest {

    @Test
    void aBundleDeclaringTheArchitectureMayRunIt() {
        Bundle llama = bundle(model("LlamaForCausalLM", "MistralForCausalLM"));
        assertTrue(DeclaredVariants.mayRun(llama, "MistralForCausalLM"));
        assertFalse(DeclaredVariants.mayRun(llama, "GemmaForCausalLM"));
    }

    @Test
    void anyOfSeveralModelCandidatesMayDeclareIt() {
        Bundle two = bundle(model("BertModel"), model("T5ForConditionalGeneration"));
        assertTrue(DeclaredVariants.mayRun(two, "T5ForConditionalGeneration"));
        assertFalse(DeclaredVariants.mayRun(two, "GPT2LMHeadModel"));
    }

    @Test
    void aBundleThatDeclaresNoModelVariantsMayRunAnything() {
        assertTrue(DeclaredVariants.mayRun(bundle(), "LlamaForCausalLM"));
        assertTrue(DeclaredVariants.mayRun(bundle(capability(Map.of(CandidateNamespace.KIND, "module",
                CandidateNamespace.VARIANTS, List.of("swiglu")))), "LlamaForCausalLM"), "a module's variants are not architectures");
        assertTrue(DeclaredVariants.mayRun(bundle(capability(Map.of(CandidateNamespace.KIND, "model"))), "LlamaForCausalLM"));
        assertTrue(DeclaredVariants.mayRun(null, "LlamaForCausalLM"), "a service whose bundle is gone");
    }

    private static BundleCapability model(String... variants) {
        return capability(Map.of(CandidateNamespace.KIND, "model", CandidateNamespace.VARIANTS, List.of(variants)));
    }

    private static BundleCapability capability(Map<String, Object> attributes) {
        return proxy(BundleCapability.class, (name, args) -> name.equals("getAttributes") ? attributes : null);
    }

    private static Bundle bundle(BundleCapability... capabilities) {
        BundleRevision revision = proxy(BundleRevision.class, (name, args) -> name.equals("getDeclaredCapabilities")
                && CandidateNamespace.NAMESPACE.equals(args[0]) ? List.of(capabilities) : null);
        return proxy(Bundle.class, (name, args) -> name.equals("adapt") && args[0] == BundleRevision.class ? revision : null);
    }

    /** A stand-in answering the named methods the code under test calls, null for every other. */
    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> answer.of(method.getName(), args)));
    }

    private interface Answer {
        Object of(String method, Object[] args);
    }
}
