import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthGuard, TokenVerifier } from './auth/auth.js';
import { HealthController } from './health/health.controller.js';
import { DocsController } from './docs/docs.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { APP_CONFIG, EVENT_STORE, LOGGER, RUNTIME, type Runtime } from './runtime.js';
import { FEATURE_MODULES } from './features.js';

@Module({})
export class AppModule {
  static register(runtime: Runtime): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [CqrsModule.forRoot(), ...FEATURE_MODULES],
      controllers: [HealthController, DocsController, MetricsController],
      providers: [
        { provide: RUNTIME, useValue: runtime },
        { provide: APP_CONFIG, useValue: runtime.config },
        { provide: LOGGER, useValue: runtime.logger },
        { provide: EVENT_STORE, useValue: runtime.eventStore },
        TokenVerifier,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [RUNTIME, APP_CONFIG, LOGGER, EVENT_STORE, TokenVerifier],
    };
  }
}
