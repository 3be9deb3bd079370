package io.tttv2.cli.tokenize;

import io.tttv2.cli.UserError;
import io.tttv2.integration.tokenizers.TokenizerCommands;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tttv2 tokenize}: text to token ids, as HuggingFace's tokenizer encodes it. */
@Command(name = "tokenize", description = "Encode TEXT with a tokenizer.json; prints {\"ids\":[…],\"tokens\":[…]}.")
public final class TokenizeCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "A HuggingFace tokenizer.json.")
    Path tokenizer;

    @Option(names = "--no-special", description = "Do not add the special tokens of the post-processor (BOS, [CLS] …).")
    boolean noSpecial;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "The text (several words are joined with spaces).")
    List<String> text;

    @Override
    public Integer call() {
        requireFile(tokenizer);
        try {
            spec.commandLine().getOut().println(TokenizerCommands.tokenize(tokenizer, String.join(" ", text), !noSpecial));
        } catch (TokenizerException e) {
            throw new UserError(e.getMessage(), 1, e);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    static void requireFile(Path tokenizer) {
        if (!Files.exists(tokenizer)) {
            throw new UserError(tokenizer + ": no such file (expected a HuggingFace tokenizer.json)");
        }
        if (!Files.isRegularFile(tokenizer)) {
            throw new UserError(tokenizer + ": not a regular file (expected a HuggingFace tokenizer.json)");
        }
    }
}
