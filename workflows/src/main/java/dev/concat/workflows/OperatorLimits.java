package dev.concat.workflows;

import dev.concat.contract.ConcatRequest;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.JobTimeouts;
import dev.concat.contract.policy.OperatorPolicy;
import dev.concat.contract.policy.PolicyChecks;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.function.Supplier;

/**
 * Holds a request to what the worker's operator allows: its locations and its ceilings. The
 * workflow cannot read the worker's settings itself; it asks once per job and keeps the answer in
 * the job's history (a side effect), so every replay and every later worker decides the same. Jobs
 * started before version 1 replay without the check; the activities check locations anyway.
 */
final class OperatorLimits {
  private static final String CHANGE_ID = "operator-policy";

  private OperatorLimits() {}

  /**
   * Fails the job (not retryable) when the request reaches outside the policy; otherwise returns.
   */
  static void require(Supplier<OperatorPolicy> workerPolicy, ConcatRequest request, String jobId) {
    if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) < 1) {
      return;
    }
    OperatorPolicy policy = Workflow.sideEffect(OperatorPolicy.class, workerPolicy::get);
    List<String> outside =
        PolicyChecks.locationProblems(
            policy, request.segments(), request.output(), request.audio().cover());
    if (!outside.isEmpty()) {
      throw PolicyChecks.notAllowed(jobId, outside);
    }
    JobTimeouts asked =
        request.timeouts() == null
            ? new JobTimeouts(null, null, null, null, null, null, null)
            : request.timeouts();
    List<String> above =
        PolicyChecks.ceilingProblems(
            policy,
            request.segments().size(),
            asked.maxProcessingSeconds(),
            asked.heartbeatSeconds(),
            asked.hostAttempts());
    if (!above.isEmpty()) {
      throw FailureType.LIMIT_EXCEEDED.failure(
          FailureSubject.job(jobId).describe(PolicyChecks.summary(above)));
    }
  }
}
