/**
 * The statements of the hot dashboard reads, in a module of their own (no Nest, no I/O) so that the read
 * benchmark (bench/reads.bench.js) measures exactly what the endpoints send as its bare-SQL baseline.
 */

/** An instant column as epoch milliseconds (turned into Dates by the callers). */
const ms = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)::bigint`;

/**
 * The case and its steps in one statement (one round trip, prepared once per connection): the summary row
 * (primary key) and its steps (case_step_pkey) as a JSON array in step order. Instants come as epoch
 * milliseconds, turned into Dates below.
 */
export const CASE_WITH_STEPS = `
  SELECT c.case_id, c.service_code, c.provider_id, c.channel, c.regulation_id, c.stage, c.status, c.executor_id,
    c.submitted_at, c.updated_at, c.stream_version, c.last_position, c.state,
    (SELECT coalesce(json_agg(json_build_object(
        'stepId', s.step_id, 'stepOrder', s.step_order, 'roles', s.roles, 'norm', s.norm, 'status', s.status,
        'startedAt', ${ms('s.started_at')}, 'dueAt', ${ms('s.due_at')}, 'earliestAt', ${ms('s.earliest_at')}, 'completedAt', ${ms('s.completed_at')},
        'verdict', s.verdict, 'excessAmount', s.excess_amount, 'excessUnit', s.excess_unit,
        'workingMinutes', s.working_minutes, 'durationDays', s.duration_days,
        'performedByRole', s.performed_by_role, 'performedByUser', s.performed_by_user, 'recordedLate', s.recorded_late,
        'maxRecordingDelayMs', s.max_recording_delay_ms, 'deadlineRecorded', s.deadline_recorded, 'provisional', s.provisional
      ) ORDER BY s.step_order), '[]'::json)
      FROM case_step s WHERE s.case_id = c.case_id) AS steps
  FROM case_summary c WHERE c.case_id = $1`;

/**
 * A provider's open steps (soonest due first) and open complaints, in one statement (prepared once per
 * connection). Each part is one index range: case_step_open_due (provider_id, due_at) WHERE status = 'open'
 * and complaint_register_provider_status (provider_id, status, due_at). Steps bring only what the workload
 * shows or judges; instants come as epoch ms.
 */
export const WORKLOAD = `
  SELECT
    (SELECT coalesce(json_agg(json_build_object(
        'caseId', s.case_id, 'stepId', s.step_id, 'serviceCode', s.service_code, 'caseStage', s.case_stage, 'executorId', s.executor_id,
        'completedBy', s.completed_by, 'norm', s.norm, 'startedAt', ${ms('s.started_at')}, 'dueAt', ${ms('s.due_at')}
      ) ORDER BY s.due_at, s.case_id, s.step_id), '[]'::json)
      FROM case_step s WHERE s.provider_id = $1 AND s.status = 'open') AS steps,
    (SELECT coalesce(json_agg(json_build_object(
        'complaintId', c.complaint_id, 'providerId', c.provider_id, 'caseId', c.case_id, 'addressee', c.addressee, 'status', c.status,
        'filedAt', ${ms('c.filed_at')}, 'registeredAt', ${ms('c.registered_at')}, 'dueAt', ${ms('c.due_at')}, 'answeredAt', ${ms('c.answered_at')},
        'answeredLate', c.answered_late, 'deadlineRecorded', c.deadline_recorded, 'streamVersion', c.stream_version,
        'lastPosition', c.last_position::text, 'state', c.state
      ) ORDER BY c.due_at NULLS LAST, c.complaint_id), '[]'::json)
      FROM complaint_register c WHERE c.provider_id = $1 AND c.status IN ('filed', 'registered', 'forwarded')) AS complaints`;
