package io.tttv2.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.tttv2.api.assembly.Assemblies;
import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Decision;
import io.tttv2.api.assembly.FactoryDecorator;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.CandidateRegistry;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.candidate.Tier;
import io.tttv2.api.modules.ModuleFactories.MlpFactory;
import io.tttv2.api.modules.ModuleFactories.NormFactory;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The module resolver in the real host: the core candidates joined with the services implementing them,
 * the Llama family's shipped assembly, decorators, the generation, and the governance rules.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModuleResolverIT {

    private static final Set<ModuleKind> FACTORY_KINDS = EnumSet.of(ModuleKind.NORM, ModuleKind.ROTARY, ModuleKind.ATTENTION,
            ModuleKind.ATTENTION_BACKEND,
            ModuleKind.MLP, ModuleKind.EMBEDDING, ModuleKind.LM_HEAD, ModuleKind.DECODER_LAYER, ModuleKind.DEVICE);

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return DistributionInFramework.options();
    }

    @Test
    public void theLlamaFamilysShippedAssemblyResolvesToTheCoreCandidates() throws Exception {
        Assemblies assemblies = ServiceWait.service(context, Assemblies.class);
        ModuleResolver resolver = ServiceWait.service(context, ModuleResolver.class);
        Assembly llama = assemblies.shipped().get("tttv2/model/llama-family");
        assertNotNull("shipped assemblies: " + assemblies.shipped(), llama);
        assertEquals(FACTORY_KINDS, llama.requirements().keySet());
        assertEquals("tttv2/norm/rms", llama.requirement(ModuleKind.NORM).name());
        assertEquals("tttv2/mlp/gated", llama.requirement(ModuleKind.MLP).name());

        Resolution r = resolver.resolve(llama, llama.requirements().keySet());
        assertTrue(r.decisions().toString(), r.complete());
        assertEquals("tttv2/norm/rms", r.chosen(ModuleKind.NORM).name());
        assertEquals("tttv2/mlp/gated", r.chosen(ModuleKind.MLP).name());
        assertEquals("tttv2/attention/sdpa", r.chosen(ModuleKind.ATTENTION).name());
        assertEquals("tttv2/device/cpu", r.chosen(ModuleKind.DEVICE).name());
        assertNotNull(r.factory(ModuleKind.NORM, NormFactory.class));
        Decision layerNorm = r.decisions().stream().filter(d -> d.candidate().name().equals("tttv2/norm/layer")).findFirst().orElseThrow();
        assertFalse(layerNorm.eligible());
        assertEquals("name is not tttv2/norm/rms", layerNorm.reason());
    }

    @Test
    public void aDeclaredCandidateWithoutServiceIsExplainedAndNeverChosen() throws Exception {
        ModuleResolver resolver = ServiceWait.service(context, ModuleResolver.class);
        // metadata only: a newer core-tier gated MLP whose bundle registers nothing
        GeneratedBundle generated = GeneratedBundle.named("acme.mlp.paper").header("Provide-Capability",
                "io.tttv2.candidate;name=acme/mlp/paper;kind=mlp;version:Version=9.0.0;tier=core;"
                        + "certifications:List<String>=\"functionally-tested,performance-verified\"");
        Bundle bundle = context.installBundle("generated:" + generated.symbolicName(), generated.stream());
        try {
            bundle.start();
            Resolution r = resolver.resolve(new Assembly(null, Map.of()), Set.of(ModuleKind.MLP));
            assertEquals("tttv2/mlp/gated", r.chosen(ModuleKind.MLP).name());
            Decision paper = r.decisions().stream().filter(d -> d.candidate().name().equals("acme/mlp/paper")).findFirst().orElseThrow();
            assertEquals("no service: bundle acme.mlp.paper/1.0.0 registers no MlpFactory with tttv2.candidate.name="
                    + "acme/mlp/paper and tttv2.candidate.version=9.0.0", paper.reason());

            Resolution pinned = resolver.resolve(new Assembly("acme/model/m", Map.of(ModuleKind.MLP,
                    new Requirement("acme/mlp/paper", null, null, null, null))), Set.of(ModuleKind.MLP));
            assertFalse(pinned.complete());
            UnresolvedException e = assertThrows(UnresolvedException.class, () -> pinned.factory(ModuleKind.MLP, MlpFactory.class));
            assertTrue(e.getMessage(), e.getMessage().startsWith("no candidate for mlp meets name acme/mlp/paper (assembly of acme/model/m): "));
        } finally {
            bundle.uninstall();
        }
    }

    @Test
    public void theGenerationMovesWhenBundlesOrDecoratorsComeAndGo() throws Exception {
        ModuleResolver resolver = ServiceWait.service(context, ModuleResolver.class);
        long before = resolver.generation();
        Bundle bundle = context.installBundle("generated:acme.mlp.gen",
                ExampleBundles.declaringCandidate("acme.mlp.gen", "acme/mlp/gen", "1.0.0").stream());
        long installed = resolver.generation();
        assertTrue(installed > before);
        bundle.uninstall();
        assertTrue(resolver.generation() > installed);

        AtomicInteger decorated = new AtomicInteger();
        long undecorated = resolver.generation();
        ServiceRegistration<FactoryDecorator> registration = context.registerService(FactoryDecorator.class, new FactoryDecorator() {
            @Override
            public <F> F decorate(ModuleKind kind, Class<F> type, F factory, CandidateDescriptor candidate) {
                decorated.incrementAndGet();
                return factory;
            }
        }, null);
        try {
            assertTrue(resolver.generation() > undecorated);
            Resolution r = resolver.resolve(new Assembly(null, Map.of()), Set.of(ModuleKind.NORM, ModuleKind.MLP));
            assertEquals("one call per resolved kind", 2, decorated.get());
            assertSame(r.factory(ModuleKind.MLP, MlpFactory.class), r.factory(ModuleKind.MLP, MlpFactory.class));
        } finally {
            long decoratedAt = resolver.generation();
            registration.unregister();
            assertTrue(resolver.generation() > decoratedAt);
        }
    }

    @Test
    public void aTierClaimedWithoutItsCertificationsIsListedLowerAndReported() throws Exception {
        CandidateRegistry registry = ServiceWait.service(context, CandidateRegistry.class);
        assertEquals("the distribution itself", List.of(), registry.violations());
        GeneratedBundle generated = GeneratedBundle.named("acme.mlp.bluff").header("Provide-Capability",
                "io.tttv2.candidate;name=acme/mlp/bluff;kind=mlp;version:Version=1.0.0;tier=core;"
                        + "certifications:List<String>=\"functionally-tested\"");
        Bundle bundle = context.installBundle("generated:" + generated.symbolicName(), generated.stream());
        try {
            CandidateDescriptor bluff = registry.candidates().stream().filter(c -> c.name().equals("acme/mlp/bluff")).findFirst().orElseThrow();
            assertEquals(Tier.CORE, bluff.tier());
            assertEquals(Tier.CONTRIB, bluff.listedTier());
            assertEquals(List.of("candidate acme/mlp/bluff 1.0.0 (acme.mlp.bluff/1.0.0) claims tier core without "
                    + "performance-verified; listed as contrib"), registry.violations());
        } finally {
            bundle.uninstall();
        }
        assertEquals(List.of(), registry.violations());
    }
}
