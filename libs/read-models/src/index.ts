export * from './checkpoint.entity.js';
export * from './projection.js';
export * from './projection.runner.js';
export * from './data-source.js';
export * from './case-summary/case-summary.entity.js';
export * from './case-summary/case-summary.projection.js';
export * from './complaint-register/complaint.entity.js';
export * from './complaint-register/complaint.projection.js';
export * from './case-timeline/case-step.entity.js';
export * from './case-timeline/case-timeline.projection.js';
export * from './monitoring-feed/monitoring-feed.entity.js';
export * from './monitoring-feed/monitoring-feed.projection.js';
export * from './monitoring-feed/monitoring-feed.queries.js';
export * from './monitoring-feed/monitoring-delivery.worker.js';

import { caseSummaryProjection } from './case-summary/case-summary.projection.js';
import { complaintRegisterProjection } from './complaint-register/complaint.projection.js';
import { caseTimelineProjection } from './case-timeline/case-timeline.projection.js';
import { monitoringFeedProjection } from './monitoring-feed/monitoring-feed.projection.js';
import type { Projection } from './projection.js';

/** Every projection the projector runs. */
export const ALL_PROJECTIONS: Projection[] = [caseSummaryProjection, complaintRegisterProjection, caseTimelineProjection, monitoringFeedProjection];
export * from './deadline.sweeper.js';
export * from './projection.rebuilder.js';
