/** The demo providers (also used by `npm run seed`); an installation lists its own in PROVIDERS_FILE. */
export const DEMO_PROVIDERS = {
  "providers": [
    {
      "id": "pmpc-almaty-1",
      "name": { "kk": "Алматы облысының №1 психологиялық-медициналық-педагогикалық консультациясы", "ru": "Психолого-медико-педагогическая консультация №1 Алматинской области", "en": "Almaty region PMPC No. 1" },
      "kind": "pmpc",
      "region": "Almaty region",
      "services": ["pmpc-examination"]
    },
    {
      "id": "pmpc-taldykorgan",
      "name": { "kk": "Талдықорған қаласының ПМПК", "ru": "ПМПК г. Талдыкорган", "en": "Taldykorgan PMPC" },
      "kind": "pmpc",
      "region": "Almaty region",
      "services": ["pmpc-examination"]
    },
    {
      "id": "rehab-taldykorgan",
      "name": { "kk": "Талдықорған оңалту орталығы", "ru": "Реабилитационный центр г. Талдыкорган", "en": "Taldykorgan rehabilitation centre" },
      "kind": "rehabilitation-centre",
      "region": "Almaty region",
      "services": ["rehabilitation"],
      "schedule": { "id": "rehab-8-30", "periods": [{ "start": "08:30", "end": "12:30" }, { "start": "13:30", "end": "17:30" }] }
    },
    {
      "id": "correction-kapshagay",
      "name": { "kk": "Қапшағай психологиялық-педагогикалық түзету кабинеті", "ru": "Кабинет психолого-педагогической коррекции г. Капшагай", "en": "Kapshagay correction room" },
      "kind": "correction-room",
      "region": "Almaty region",
      "services": ["rehabilitation"]
    },
    {
      "id": "special-school-3",
      "name": { "kk": "№3 арнайы мектеп-интернат", "ru": "Специальная школа-интернат №3", "en": "Special boarding school No. 3" },
      "kind": "special-school",
      "region": "Almaty region",
      "services": ["special-school-admission", "home-education"]
    },
    {
      "id": "school-almaty-12",
      "name": { "kk": "№12 жалпы білім беретін мектеп", "ru": "Общеобразовательная школа №12", "en": "Secondary school No. 12" },
      "kind": "school",
      "region": "Almaty",
      "services": ["home-education", "special-school-admission"]
    },
    {
      "id": "school-esik-5",
      "name": { "kk": "Есік қаласының №5 мектебі", "ru": "Школа №5 г. Есик", "en": "Esik school No. 5" },
      "kind": "school",
      "region": "Almaty region",
      "services": ["home-education"],
      "schedule": { "id": "school-8-17", "periods": [{ "start": "08:00", "end": "12:00" }, { "start": "13:00", "end": "17:00" }] }
    }
  ]
};
