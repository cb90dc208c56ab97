import type { CalendarYearData } from '../calendar.types.js';
import { year2018 } from './2018.js';
import { year2019 } from './2019.js';
import { year2020 } from './2020.js';
import { year2021 } from './2021.js';
import { year2022 } from './2022.js';
import { year2023 } from './2023.js';
import { year2024 } from './2024.js';
import { year2025 } from './2025.js';
import { year2026 } from './2026.js';

/** The years whose published facts are built in. Register a new year's file here (or drop a JSON file in CALENDAR_DATA_DIR). */
export const BUILT_IN_YEARS: readonly CalendarYearData[] = [year2018, year2019, year2020, year2021, year2022, year2023, year2024, year2025, year2026];
