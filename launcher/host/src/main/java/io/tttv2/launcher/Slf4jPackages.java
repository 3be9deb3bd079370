package io.tttv2.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * SLF4J lives in the launcher jar, beside Felix, and the system bundle exports its packages to the bundles that
 * log (the registry, the serving and tokenizer bundles). SLF4J 2 finds its provider (slf4j-simple, in the same
 * jar) with the JDK's service loader, which works on the class path as it is. As bundles, SLF4J needed the OSGi
 * Service Loader Mediator (Aries SPI Fly, with five ASM bundles) to weave its class loading at every start; the
 * eight bundles cost ≈ 170 ms of the 1B's first token, 115 ms of them in the host's start (docs/loading.md).
 */
final class Slf4jPackages {

    /** The packages of slf4j-api that bundles may import. */
    static final List<String> PACKAGES = List.of("org.slf4j", "org.slf4j.event", "org.slf4j.helpers", "org.slf4j.spi");
    /** Maven's record of the slf4j-api artifact, kept in the jar by the shade plugin. */
    static final String POM_PROPERTIES = "META-INF/maven/org.slf4j/slf4j-api/pom.properties";

    private Slf4jPackages() {
    }

    /** {@code org.slf4j;version=V,...}: the packages at the version of the slf4j-api on this class path. */
    static String exportClause() {
        String version = version();
        return PACKAGES.stream().map(p -> p + ";version=" + version).collect(Collectors.joining(","));
    }

    /** The version in slf4j-api's {@code pom.properties}; an {@link IllegalStateException} if it is missing. */
    static String version() {
        try (InputStream in = Slf4jPackages.class.getClassLoader().getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException(POM_PROPERTIES + " is not on the launcher's class path (is slf4j-api?)");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version");
            if (version == null || version.isBlank()) {
                throw new IllegalStateException(POM_PROPERTIES + ": key 'version' expected, found none");
            }
            return version.strip();
        } catch (IOException e) {
            throw new IllegalStateException(POM_PROPERTIES + " cannot be read: " + e.getMessage(), e);
        }
    }
}
