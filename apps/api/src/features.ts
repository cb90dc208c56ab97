import type { Type } from '@nestjs/common';
import { CalendarModule } from './calendar/calendar.controller.js';
import { RegulationsModule } from './regulations/regulations.controller.js';
import { CasesModule } from './cases/cases.controller.js';
import { ComplaintsModule } from './complaints/complaints.controller.js';
import { ComplianceModule } from './compliance/compliance.controller.js';
import { WorkloadModule } from './workload/workload.controller.js';
import { HistoryModule } from './history/history.controller.js';
import { MonitoringModule } from './monitoring/monitoring.controller.js';
import { AuthModule } from './auth/auth.controller.js';
import { ProvidersModule } from './providers/providers.controller.js';
import { DashboardModule } from './dashboard/dashboard.controller.js';
import { AdminModule } from './admin/admin.controller.js';

/** The feature modules mounted under /v1 (and the dashboard at /). */
export const FEATURE_MODULES: Type[] = [CalendarModule, RegulationsModule, CasesModule, ComplaintsModule, ComplianceModule, WorkloadModule, HistoryModule, MonitoringModule, AuthModule, ProvidersModule, DashboardModule, AdminModule];
