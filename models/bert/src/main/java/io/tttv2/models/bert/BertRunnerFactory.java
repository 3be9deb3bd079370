package io.tttv2.models.bert;

import io.tttv2.api.assembly.Assemblies;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.models.kit.EncoderModel;
import io.tttv2.models.kit.EncoderModelFactory;
import java.nio.file.Path;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * BERT encoders as a service, on the model kit: {@code embed} and {@code validate} run them (BertForMaskedLM with
 * its head's logits). Modules come from the
 * {@link ModuleResolver}, by the assembly the bundle ships ({@code assembly.json}).
 */
@Component(service = ModelRunnerFactory.class, property = {
        "tttv2.model=bert",
        CandidateNamespace.SERVICE_NAME + "=tttv2/model/bert",
        CandidateNamespace.SERVICE_VERSION + "=1.0.0",
        CandidateNamespace.SERVICE_TIER + "=contrib"})
public final class BertRunnerFactory extends EncoderModelFactory {

    @Activate
    public BertRunnerFactory(BundleContext context, @Reference ModuleResolver resolver, @Reference Assemblies assemblies) {
        super(context, resolver, assemblies);
    }

    @Override
    public Set<String> architectures() {
        return Set.of(BertPlans.ARCHITECTURE, BertPlans.MASKED_LM);
    }

    @Override
    protected EncoderModel describe(HfConfig config) {
        return BertPlans.of(config, hasPooler(config.file().toAbsolutePath().getParent()));
    }

    /** config.json does not say whether the pooler was saved; the checkpoint does (unreadable: the check will say). */
    private static boolean hasPooler(Path directory) {
        try (Checkpoint checkpoint = Checkpoint.open(directory)) {
            return checkpoint.contains("pooler.dense.weight") || checkpoint.contains("bert.pooler.dense.weight");
        } catch (RuntimeException e) {
            return true;
        }
    }
}
