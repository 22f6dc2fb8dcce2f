package dev.conversa.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The failover run, with instance A holding every session: instance B joins the consumer group (Kafka's
 * cooperative rebalance moves about half of the {@code wa.commands} partitions, and so of the sessions, from A to B
 * in a graceful hand-over: A closes them and frees their leases, B opens them), then A is killed with SIGKILL and B
 * must restore the rest: Kafka notices after {@code session.timeout.ms}, B waits until A's leases expire, then
 * reconnects them from the stored auth state.
 *
 * <p>"Back" means what a customer would see: the simulator holds the device online again with a login newer than
 * before the kill. Replacements (440: two instances on one device) must stay 0.
 */
final class Failover {

    private static final Duration HANDOVER_LIMIT = Duration.ofMinutes(5);
    private static final Duration RESTORE_LIMIT = Duration.ofMinutes(10);

    /** What the failover took. */
    record Result(int movedToBAtJoin, long handoverNanos, int onAAtKill, long killToFirstBackNanos,
            long killToAllBackNanos, int back, long killToAssignmentNanos, long assignmentToAllBackNanos,
            List<ServiceLog.Restore> restoresAfterKill, long devicesOnline, long replacements) {

        Map<String, Object> toMap() {
            Map<String, Object> map = Report.map();
            map.put("sessionsMovedToBWhenItJoined", movedToBAtJoin);
            map.put("joinHandoverSeconds", Report.seconds(handoverNanos));
            map.put("sessionsOnAWhenKilled", onAAtKill);
            map.put("sessionsBackOnB", back);
            map.put("killToAllBackSeconds", Report.seconds(killToAllBackNanos));
            map.put("killToFirstBackSeconds", Report.seconds(killToFirstBackNanos));
            map.put("killToKafkaAssignmentSeconds", Report.seconds(killToAssignmentNanos));
            map.put("assignmentToAllBackSeconds", Report.seconds(assignmentToAllBackNanos));
            map.put("restoreLogLines", restoresAfterKill.stream().map(restore -> Map.of(
                    "partitions", restore.partitions(), "sessionsLogged", restore.sessions(),
                    "restoredInMillis", restore.millis())).toList());
            map.put("devicesOnlineAtEnd", devicesOnline);
            map.put("replacements440", replacements);
            return map;
        }
    }

    private final SimulatorPhone phone;
    private final List<SessionLinker.LinkedSession> sessions;

    Failover(SimulatorPhone phone, List<SessionLinker.LinkedSession> sessions) {
        this.phone = phone;
        this.sessions = sessions;
    }

    /** Runs it with B already started (and ready) at {@code bReadyAt}; kills A. */
    Result run(ServiceJvm a, ServiceLog bLog, long bReadyAt) {
        int movedToB = awaitJoinHandover(bLog);
        long handover = System.nanoTime() - bReadyAt;
        Set<Integer> onB = bLog.assignedPartitions();
        List<SessionLinker.LinkedSession> onA = sessions.stream()
                .filter(session -> !onB.contains(session.partition())).toList();
        Map<String, Long> loginsBefore = devices().values().stream()
                .collect(Collectors.toMap(SimulatorPhone.Device::deviceId, SimulatorPhone.Device::logins));
        System.err.printf("join hand-over: %d session(s) moved to B; killing A with %d%n", movedToB, onA.size());

        long killedAt = System.nanoTime();
        a.kill();
        long firstBack = -1;
        int back = 0;
        Map<String, SimulatorPhone.Device> devices = Map.of();
        long lastReport = killedAt;
        while (System.nanoTime() - killedAt < RESTORE_LIMIT.toNanos()) {
            Pause.millis(250);
            bLog.poll();
            devices = devices();
            Map<String, SimulatorPhone.Device> now = devices;
            back = (int) onA.stream().map(session -> now.get(session.deviceId()))
                    .filter(device -> device != null && device.online()
                            && device.logins() > loginsBefore.getOrDefault(device.deviceId(), 0L))
                    .count();
            if (back > 0 && firstBack < 0) {
                firstBack = System.nanoTime() - killedAt;
            }
            if (back == onA.size() && online(now) == sessions.size()) {
                break;
            }
            if (System.nanoTime() - lastReport > Duration.ofSeconds(10).toNanos()) {
                System.err.printf("failover: %d of %d back%n", back, onA.size());
                lastReport = System.nanoTime();
            }
        }
        long allBack = System.nanoTime() - killedAt;
        bLog.poll();
        long assignedAt = bLog.assignments().stream().mapToLong(ServiceLog.Assignment::seenAtNanos)
                .filter(seen -> seen > killedAt).min().orElse(-1);
        List<ServiceLog.Restore> restores = bLog.restores().stream()
                .filter(restore -> restore.seenAtNanos() > killedAt).toList();
        long replacements = devices.values().stream().mapToLong(SimulatorPhone.Device::replacements).sum();
        return new Result(movedToB, handover, onA.size(), firstBack, allBack, back,
                assignedAt < 0 ? -1 : assignedAt - killedAt,
                assignedAt < 0 ? -1 : killedAt + allBack - assignedAt,
                restores, online(devices), replacements);
    }

    /**
     * Waits until Kafka gave B its partitions and every session of them is online on B (a second login), with all
     * devices online; twice in a row, a second apart, so a rebalance in two steps is not cut short.
     */
    private int awaitJoinHandover(ServiceLog bLog) {
        long start = System.nanoTime();
        int stable = 0;
        int moved = 0;
        while (stable < 2) {
            if (System.nanoTime() - start > HANDOVER_LIMIT.toNanos()) {
                throw new IllegalStateException("B's join hand-over did not settle within " + HANDOVER_LIMIT
                        + ": partitions " + bLog.assignedPartitions() + ", " + moved + " moved");
            }
            Pause.millis(1_000);
            Set<Integer> onB = bLog.poll().assignedPartitions();
            Map<String, SimulatorPhone.Device> devices = devices();
            List<SessionLinker.LinkedSession> toMove = sessions.stream()
                    .filter(session -> onB.contains(session.partition())).toList();
            moved = (int) toMove.stream().map(session -> devices.get(session.deviceId()))
                    .filter(device -> device != null && device.online() && device.logins() >= 2).count();
            boolean settled = !onB.isEmpty() && moved == toMove.size() && online(devices) == sessions.size();
            stable = settled ? stable + 1 : 0;
        }
        return moved;
    }

    private Map<String, SimulatorPhone.Device> devices() {
        return phone.devices().stream().collect(Collectors.toMap(SimulatorPhone.Device::deviceId,
                Function.identity(), (first, second) -> first, HashMap::new));
    }

    private static long online(Map<String, SimulatorPhone.Device> devices) {
        return devices.values().stream().filter(SimulatorPhone.Device::online).count();
    }
}
