package io.tttv2.cli.evidence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Validation reports a bundle ships ({@value #ENTRY}): a validation record as {@code validate --record} writes
 * it, plus {@code classesSha256}, the hash of the bundle's classes it was made with ({@link #classesSha256}).
 * A report whose hash is the bundle's backs the {@code functionally-tested} claim of that bundle's own candidates,
 * like a record in the user folder; one whose hash is not — the classes changed since — backs nothing and is one
 * warning line.
 */
public final class ShippedReports {

    public static final String ENTRY = "META-INF/tttv2/validation.json";
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ShippedReports() {
    }

    /** A report that holds: the record and the bundle ({@code bsn/version}) whose candidates it may back. */
    public record Shipped(ValidationRecord record, String bundle) {
    }

    /** The reports of the framework's bundles that match their classes; a line in {@code warnings} for each other. */
    public static List<Shipped> read(BundleContext context, List<String> warnings) {
        List<Shipped> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            URL entry = b.getEntry(ENTRY);
            if (entry == null) {
                continue;
            }
            String id = b.getSymbolicName() + "/" + b.getVersion();
            try (InputStream in = entry.openStream()) {
                JsonNode node = JSON.readTree(in);
                String claimed = node.path("classesSha256").asText("");
                String actual = classesSha256(b);
                if (!claimed.equalsIgnoreCase(actual)) {
                    warnings.add("bundle " + id + ": " + ENTRY + " covers classes with SHA-256 "
                            + (claimed.isEmpty() ? "(none given: key classesSha256)" : claimed) + ", the bundle's are " + actual
                            + "; it backs nothing");
                    continue;
                }
                ((ObjectNode) node).remove("classesSha256");
                ValidationRecord r = JSON.treeToValue(node, ValidationRecord.class);
                if (r.configSha256() == null || r.date() == null || r.candidates() == null || r.checks() == null
                        || r.candidates().stream().anyMatch(u -> u == null || u.name() == null || u.version() == null)) {
                    warnings.add("bundle " + id + ": " + ENTRY + " is not a validation record (configSha256, date, checks and"
                            + " candidates, each with name and version, are required); it backs nothing");
                    continue;
                }
                out.add(new Shipped(r, id));
            } catch (IOException | RuntimeException e) {
                warnings.add("bundle " + id + ": " + ENTRY + " cannot be read (" + String.valueOf(e.getMessage()).replaceAll("\\s+", " ")
                        + "); it backs nothing");
            }
        }
        return out;
    }

    /**
     * SHA-256 over the bundle's {@code .class} entries in path order: for each, its path (UTF-8), a zero byte
     * and the SHA-256 of its content. Signature files, resources and the report itself do not count, so a
     * report can be added, and the jar signed, after the hash is taken ({@code tttv2 bundles verify} prints it).
     */
    public static String classesSha256(Bundle bundle) throws IOException {
        Map<String, URL> classes = new TreeMap<>();
        Enumeration<URL> found = bundle.findEntries("/", "*.class", true);
        for (URL url : found == null ? Collections.<URL>emptyList() : Collections.list(found)) {
            String path = url.getPath();
            classes.put(path.startsWith("/") ? path.substring(1) : path, url);
        }
        MessageDigest all = sha256();
        for (Map.Entry<String, URL> c : classes.entrySet()) {
            all.update(c.getKey().getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
            try (InputStream in = c.getValue().openStream()) {
                all.update(sha256().digest(in.readAllBytes()));
            }
        }
        return HexFormat.of().formatHex(all.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
