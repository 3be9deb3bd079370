package io.tttv2.tools.baseline;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.Baseline.Info;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import aQute.bnd.service.diff.Delta;
import aQute.bnd.service.diff.Diff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Semantic versions of exported packages, checked against the last released bundle (the baseline, kept in
 * {@code cnf/baseline/}): bnd's differ compares the two class by class, knowing {@code @ProviderType} and
 * {@code @ConsumerType}, and says how far each package changed. A package whose version did not move as far —
 * an incompatible change without a major bump, an addition without a minor bump — is a problem, and so is a
 * package the baseline exported and the bundle no longer does (every importer of it breaks).
 *
 * <p>Only package versions are checked. The bundle version is the project's ({@code 0.1.0-SNAPSHOT} for every
 * bundle), which says nothing about an API: importers pin packages, never the bundle.
 */
public final class ApiBaseline {

    /** How many of a package's changes a problem line names. */
    private static final int CHANGES_SHOWN = 3;

    private ApiBaseline() {
    }

    /**
     * @param bundle   the bundle as built: a jar, or a classes folder holding {@code META-INF/MANIFEST.MF}
     * @param baseline the released jar to compare with
     * @return one line per package that breaks the rules, in package order; empty when every version is right
     * @throws IllegalArgumentException if either file is missing or has no manifest
     */
    public static List<String> problems(Path bundle, Path baseline) throws Exception {
        for (Path p : List.of(bundle, baseline)) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException(p + ": no such file (the bundle to baseline, or its baseline in cnf/baseline)");
            }
        }
        List<String> problems = new ArrayList<>();
        try (Processor reporter = new Processor();
             Jar newer = new Jar(bundle.toFile());
             Jar older = new Jar(baseline.toFile())) {
            if (newer.getManifest() == null || older.getManifest() == null) {
                throw new IllegalArgumentException((newer.getManifest() == null ? bundle : baseline)
                        + ": no META-INF/MANIFEST.MF (build the bundle first)");
            }
            List<Info> infos = new Baseline(reporter, new DiffPluginImpl()).baseline(newer, older, null).stream()
                    .sorted(Comparator.comparing((Info i) -> i.packageName)).toList();
            for (Info info : infos) {
                Delta delta = info.packageDiff.getDelta();
                if (delta == Delta.REMOVED) {
                    problems.add(info.packageName + ": exported " + info.olderVersion + " by the baseline " + baseline.getFileName()
                            + ", no longer exported: every bundle importing it breaks; keep exporting it (deprecate instead)");
                } else if (info.mismatch) {
                    problems.add(info.packageName + ": " + delta.name().toLowerCase() + " change since the baseline "
                            + info.olderVersion + " (" + String.join("; ", changes(info.packageDiff)) + "), but its version is "
                            + info.newerVersion + "; expected at least " + info.suggestedVersion
                            + " (@Version in its package-info.java)");
                }
            }
        }
        return problems;
    }

    /** The innermost changed members, e.g. "removed method close()" in "interface io.tttv2.api.kv.PagedKvCache". */
    private static List<String> changes(Diff packageDiff) {
        List<String> out = new ArrayList<>();
        collect(packageDiff, null, out);
        int more = out.size() - CHANGES_SHOWN;
        if (more > 0) {
            out = new ArrayList<>(out.subList(0, CHANGES_SHOWN));
            out.add(more + " more");
        }
        return out;
    }

    private static void collect(Diff diff, Diff parent, List<String> out) {
        if (diff.getDelta() == Delta.UNCHANGED || diff.getDelta() == Delta.IGNORED) {
            return;
        }
        boolean whole = diff.getDelta() == Delta.ADDED || diff.getDelta() == Delta.REMOVED;   // a whole member: its parts say no more
        boolean changedChild = false;
        for (Diff child : whole ? new Diff[0] : diff.getChildren().toArray(Diff[]::new)) {
            if (child.getDelta() != Delta.UNCHANGED && child.getDelta() != Delta.IGNORED) {
                changedChild = true;
                collect(child, diff, out);
            }
        }
        if (!changedChild) {
            String where = parent == null ? "" : " in " + parent.getType().name().toLowerCase() + " " + parent.getName();
            out.add(diff.getDelta().name().toLowerCase() + " " + diff.getType().name().toLowerCase() + " " + diff.getName() + where);
        }
    }
}
