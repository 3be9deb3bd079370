package io.tttv2.cli.evidence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tttv2.cli.UserError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The validations recorded in the user folder ({@code USER_HOME/validations/*.json}, one file per validation).
 * A record is written to a hidden temporary file, forced to disk and moved into place atomically, so a reader
 * never sees half of one. A file that is not a record is left alone and reported, one line, never used as
 * evidence.
 */
public final class ValidationRecords {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final Path folder;
    private final List<String> unreadable = new ArrayList<>();

    public ValidationRecords(Path userHome) {
        this.folder = userHome.resolve("validations");
    }

    public Path folder() {
        return folder;
    }

    /** Writes {@code record}; returns its file. */
    public Path write(ValidationRecord record) {
        String name = record.date().replace(":", "").replace("-", "") + "-" + record.configSha256().substring(0, 12) + ".json";
        Path target = folder.resolve(name);
        Path temporary = null;
        try {
            Files.createDirectories(folder);
            temporary = Files.createTempFile(folder, ".record-", ".part");
            JSON.writeValue(temporary.toFile(), record);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UserError("cannot record the validation in " + folder + ": " + e.getMessage(), 1, e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // a hidden leftover is never read
                }
            }
        }
    }

    /** Every readable record, oldest first; the files that are not records are in {@link #unreadable()}. */
    public List<ValidationRecord> all() {
        unreadable.clear();
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<ValidationRecord> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String fileName = file.getFileName().toString();
                if (!fileName.endsWith(".json") || fileName.startsWith(".")) {
                    continue;
                }
                try {
                    ValidationRecord r = JSON.readValue(file.toFile(), ValidationRecord.class);
                    if (r.model() == null || r.configSha256() == null || r.configSha256().length() < 12 || r.date() == null
                            || r.candidates() == null || r.candidates().isEmpty() || r.checks() == null
                            || r.candidates().stream().anyMatch(u -> u == null || u.name() == null || u.version() == null)) {
                        unreadable.add(file + ": not a validation record (model, configSha256, date, checks and candidates,"
                                + " each with name and version, are required); ignored");
                        continue;
                    }
                    out.add(r);
                } catch (JsonProcessingException e) {
                    unreadable.add(file + ": not a validation record (" + e.getOriginalMessage().replaceAll("\\s+", " ")
                            + "); ignored");
                } catch (IOException | RuntimeException e) {
                    unreadable.add(file + ": cannot read (" + e.getMessage() + "); ignored");
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot list " + folder + ": " + e.getMessage(), 1, e);
        }
        out.sort(Comparator.comparing(ValidationRecord::date));
        return out;
    }

    /** One line per file of the folder that is not a record (after {@link #all()}). */
    public List<String> unreadable() {
        return List.copyOf(unreadable);
    }

    /** The model identity: SHA-256 of {@code model/config.json}, lower-case hex. */
    public static String configSha256(Path model) {
        Path config = model.resolve("config.json");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(config)));
        } catch (IOException e) {
            throw new UserError(config + ": cannot read: " + e.getMessage(), 1, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
