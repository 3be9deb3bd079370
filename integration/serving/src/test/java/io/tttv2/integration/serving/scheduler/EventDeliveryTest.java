package io.tttv2.integration.serving.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scheduler's event hand-off: at once before start; after it, a step's events on one thread, in order. */
class EventDeliveryTest {

    @Test
    void beforeStartEventsRunAtOnceOnTheCaller() throws InterruptedException {
        EventDelivery delivery = new EventDelivery();
        List<String> seen = new ArrayList<>();
        delivery.post(() -> seen.add(Thread.currentThread().getName()));
        assertEquals(List.of(Thread.currentThread().getName()), seen);
        delivery.close();
    }

    @Test
    void afterStartAStepsEventsWaitForItsEndThenComeInOrderOnTheDeliveryThread() throws InterruptedException {
        EventDelivery delivery = new EventDelivery();
        delivery.start("test-events");
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        for (int step = 0; step < 50; step++) {
            for (int i = 0; i < 8; i++) {
                int n = step * 8 + i;
                delivery.post(() -> {
                    order.add(n);
                    threads.add(Thread.currentThread().getName());
                });
            }
            if (step == 0) {
                Thread.sleep(50);
                assertEquals(List.of(), order, "nothing is delivered before the step ends");
            }
            delivery.endStep();
        }
        delivery.close();                          // drains what is queued
        List<Integer> expected = new ArrayList<>();
        for (int n = 0; n < 400; n++) {
            expected.add(n);
        }
        assertEquals(expected, order);
        assertEquals(List.of("test-events"), threads.stream().distinct().toList());
        assertNotEquals(Thread.currentThread().getName(), threads.get(0));
    }

    @Test
    void aFailingEventDoesNotStopTheOthers() throws InterruptedException {
        EventDelivery delivery = new EventDelivery();
        delivery.start("test-events");
        CountDownLatch after = new CountDownLatch(1);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        delivery.post(() -> {
            throw new IllegalStateException("a broken listener");
        });
        delivery.post(() -> {
            seen.add("next");
            after.countDown();
        });
        delivery.endStep();
        assertEquals(true, after.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("next"), seen);
        delivery.close();
    }
}
