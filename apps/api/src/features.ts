import type { Type } from '@nestjs/common';

/** The feature modules mounted under /v1. */
export const FEATURE_MODULES: Type[] = [];
