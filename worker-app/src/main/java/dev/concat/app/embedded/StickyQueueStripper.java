package dev.concat.app.embedded;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;

/**
 * Keeps the embedded Temporal from binding a workflow to one worker's sticky queue.
 *
 * <p>temporal-testing's server sends every later workflow task and query to the sticky queue of the
 * worker that handled the last one, and never falls back when that worker is gone: after a worker
 * restart its jobs would hang. Without sticky attributes every task goes to the shared queue, where
 * any worker takes it (replaying the short history), as a real server does once a sticky queue
 * times out.
 */
final class StickyQueueStripper implements ServerInterceptor {
  private static final String COMPLETE_METHOD =
      WorkflowServiceGrpc.getRespondWorkflowTaskCompletedMethod().getFullMethodName();

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    ServerCall.Listener<Q> listener = next.startCall(call, headers);
    if (!COMPLETE_METHOD.equals(call.getMethodDescriptor().getFullMethodName())) {
      return listener;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      @SuppressWarnings("unchecked")
      public void onMessage(Q message) {
        var request = (RespondWorkflowTaskCompletedRequest) message;
        super.onMessage((Q) request.toBuilder().clearStickyAttributes().build());
      }
    };
  }
}
