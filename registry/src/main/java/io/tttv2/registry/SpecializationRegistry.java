package io.tttv2.registry;

import io.tttv2.api.assembly.Specialization;
import io.tttv2.api.assembly.SpecializationKey;
import io.tttv2.api.assembly.Specializations;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The specialization registry: the tables bundles ship (named by their {@value #HEADER} manifest header, e.g.
 * core-impl's {@code specializations.json}, read without loading a class of the bundle) and the user's own
 * ({@value #USER_FILE} in the user folder, where {@code tttv2 tune} writes by default), the user's first. A
 * malformed table or entry is logged once as a warning (one line naming the file and the entry) and skipped;
 * hits and misses are logged at info.
 */
@Component(service = Specializations.class)
public final class SpecializationRegistry implements Specializations {

    /** Manifest header naming a bundle's table, a path inside the bundle. */
    public static final String HEADER = "TTTv2-Specializations";
    /** The user's table, in the user folder ({@code tttv2.user.home}, default {@code ~/.tttv2}). */
    public static final String USER_FILE = "specializations.json";
    static final String USER_HOME_PROPERTY = "tttv2.user.home";

    private static final Logger LOG = LoggerFactory.getLogger(SpecializationRegistry.class);

    private final Map<Long, SpecializationTable> shipped = new ConcurrentHashMap<>();
    private final SpecializationTable user;
    private final BundleTracker<Long> tracker;

    @Activate
    public SpecializationRegistry(BundleContext context) {
        this.user = userTable(context);
        this.tracker = new BundleTracker<>(context, Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE, null) {
            @Override
            public Long addingBundle(Bundle bundle, org.osgi.framework.BundleEvent event) {
                String entry = bundle.getHeaders("").get(HEADER);
                if (entry == null) {
                    return null;
                }
                SpecializationTable table = read(bundle, entry.trim());
                table.problems().forEach(LOG::warn);
                shipped.put(bundle.getBundleId(), table);
                return bundle.getBundleId();
            }

            @Override
            public void removedBundle(Bundle bundle, org.osgi.framework.BundleEvent event, Long id) {
                shipped.remove(id);
            }
        };
        tracker.open();
    }

    /** For tests: tables given directly, the first taking precedence. */
    SpecializationRegistry(SpecializationTable user, List<SpecializationTable> shippedTables) {
        this.user = user;
        this.tracker = null;
        long id = 0;
        for (SpecializationTable t : shippedTables) {
            shipped.put(id++, t);
        }
    }

    @Deactivate
    void deactivate() {
        if (tracker != null) {
            tracker.close();
        }
    }

    @Override
    public Specialization lookup(SpecializationKey key) {
        Specialization found = find(key);
        LOG.info("specialization {}", found.message());
        return found;
    }

    private Specialization find(SpecializationKey key) {
        String stale = null;
        for (SpecializationTable table : tables()) {
            for (SpecializationTable.Entry e : table.entries()) {
                SpecializationKey k = e.key();
                if (k.equals(key)) {
                    return new Specialization(key, true, e.config(), table.source(), "hit: " + key.describe() + " → "
                            + e.config() + " from " + table.source() + " entries[" + e.index() + "]");
                }
                if (stale == null && k.kind() == key.kind() && k.candidate().equals(key.candidate())
                        && k.fingerprint().equals(key.fingerprint()) && k.shapeBucket().equals(key.shapeBucket())
                        && k.device().equals(key.device())) {
                    stale = table.source() + " entries[" + e.index() + "] is for " + key.candidate() + " "
                            + k.candidateVersion() + ", running " + key.candidateVersion();
                }
            }
        }
        String message = stale != null ? "miss: stale entry ignored (" + stale + "); defaults used for " + key.describe()
                : "miss: no entry for " + key.describe() + "; defaults used";
        return new Specialization(key, false, Map.of(), null, message);
    }

    @Override
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        tables().forEach(t -> out.addAll(t.problems()));
        return out;
    }

    private List<SpecializationTable> tables() {
        List<SpecializationTable> out = new ArrayList<>();
        if (user != null) {
            out.add(user);
        }
        shipped.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.add(e.getValue()));
        return out;
    }

    private static SpecializationTable read(Bundle bundle, String entry) {
        String source = bundle.getSymbolicName() + "!/" + entry;
        URL url = bundle.getEntry(entry);
        if (url == null) {
            return new SpecializationTable(source, List.of(), List.of(source + ": named by " + HEADER
                    + " but absent from the bundle; defaults used"));
        }
        try (InputStream in = url.openStream()) {
            return SpecializationTable.read(in, source);
        } catch (IOException e) {
            return new SpecializationTable(source, List.of(), List.of(source + ": cannot be read (" + e.getMessage()
                    + "); defaults used"));
        }
    }

    private static SpecializationTable userTable(BundleContext context) {
        String home = context.getProperty(USER_HOME_PROPERTY);
        Path file = (home == null || home.isBlank() ? Path.of(System.getProperty("user.home"), ".tttv2") : Path.of(home))
                .resolve(USER_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            SpecializationTable table = SpecializationTable.read(in, file.toString());
            table.problems().forEach(LOG::warn);
            return table;
        } catch (IOException e) {
            LOG.warn("{}: cannot be read ({}); defaults used", file, e.getMessage());
            return null;
        }
    }

}
