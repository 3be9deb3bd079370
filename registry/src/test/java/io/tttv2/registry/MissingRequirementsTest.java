package io.tttv2.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MissingRequirementsTest {

    @Test
    void aPackageFiltersVersionBoundsReadAsARange() {
        assertEquals("[2.0.0,3.0.0)", MissingRequirements.range(
                "(&(osgi.wiring.package=io.tttv2.api.modules)(version>=2.0.0)(!(version>=3.0.0)))"));
        assertEquals("[1.1.0,∞)", MissingRequirements.range("(&(osgi.wiring.package=a)(version>=1.1.0))"));
        assertEquals("(any version)", MissingRequirements.range("(osgi.wiring.package=a)"));
    }
}
