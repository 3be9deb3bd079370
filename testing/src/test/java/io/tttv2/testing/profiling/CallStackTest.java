package io.tttv2.testing.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A module is charged its own time: what its profiled callees took is subtracted; phases are inherited. */
class CallStackTest {

    @Test
    void selfTimeIsElapsedLessTheCalleesAndPhaseIsInherited() {
        CallStack.Frame layer = CallStack.enter("decode", "prefill");
        CallStack.Frame attention = CallStack.enter("decode", "prefill");
        CallStack.Frame backend = CallStack.enter("decode", "prefill");
        assertEquals(30, CallStack.exit(backend, 30));
        assertEquals(70, CallStack.exit(attention, 100), "100 in all, 30 of it in the backend");
        CallStack.Frame router = CallStack.enter(null, "prefill");
        assertEquals("decode", router.phase, "route() takes the phase of the call around it");
        assertEquals(5, CallStack.exit(router, 5));
        assertEquals(45, CallStack.exit(layer, 150), "150 less the attention's 100 and the router's 5");
        CallStack.Frame top = CallStack.enter(null, "prefill");
        assertEquals("prefill", top.phase, "at the top, the fallback");
        assertEquals(0, CallStack.exit(top, 0));
    }

    @Test
    void theProfilersBookkeepingAroundACalleeIsNotTheCallersOwnTime() {
        CallStack.Frame layer = CallStack.enter("decode", "prefill");
        CallStack.Frame mlp = CallStack.enter("decode", "prefill");
        assertEquals(100, CallStack.exit(mlp, 100));
        CallStack.chargeToCallees(mlp, 20);
        assertEquals(80, CallStack.exit(layer, 200), "200 less the MLP's 100 and the 20 spent profiling it");
        CallStack.Frame top = CallStack.enter("decode", "prefill");
        assertEquals(10, CallStack.exit(top, 10));
        CallStack.chargeToCallees(top, 7);   // nothing around it: nobody to relieve
        CallStack.Frame next = CallStack.enter("decode", "prefill");
        assertEquals(null, next.parent, "the stack is empty again");
        assertEquals(3, CallStack.exit(next, 3));
    }
}
