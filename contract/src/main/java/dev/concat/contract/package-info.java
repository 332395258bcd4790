/**
 * What a client, or a worker in another language, needs to talk to concat: {@link
 * dev.concat.contract.ConcatWorkflow} with its request, status and result, the activity interfaces
 * ({@link dev.concat.contract.HostActivities}, {@link dev.concat.contract.JobActivities}) with
 * every payload they carry, and the {@link dev.concat.contract.FailureType}s jobs fail with.
 * Sub-packages hold the request's audio field types ({@code audio}), the pure rules a request must
 * meet ({@code rules}), and the operator's policy the workflow records in history ({@code policy}).
 *
 * <p>The workflow interface's name, the activity methods' names and the records' component names
 * are the wire format (workflow and activity type names, JSON field names): renaming one breaks
 * running jobs and their clients. Depends on the Temporal SDK alone; {@code LayeringTest} in
 * worker-app keeps it so.
 */
package dev.concat.contract;
