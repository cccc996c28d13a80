/** Fictional names for the demo seed. Any resemblance to real people or clinics is accidental. */
export const CLINIC_NAMES = ['Riverside Family Health', 'Northgate Pediatrics', 'Lakeshore Internal Medicine'];

export const GIVEN_NAMES = [
  'Amelia', 'Benjamin', 'Chloe', 'Daniel', 'Elena', 'Felix', 'Grace', 'Henry', 'Isla', 'Jonah',
  'Keira', 'Liam', 'Maya', 'Noah', 'Olivia', 'Priya', 'Quentin', 'Rosa', 'Samuel', 'Tara',
  'Umar', 'Vera', 'William', 'Ximena', 'Yusuf', 'Zoe', 'Arjun', 'Beatriz', 'Caleb', 'Dalia',
];

export const FAMILY_NAMES = [
  'Abbott', 'Bennett', 'Castillo', 'Delgado', 'Ellison', 'Fischer', 'Gallagher', 'Hoffman', 'Ibarra', 'Jensen',
  'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quinn', 'Ramirez', 'Sato', 'Thompson',
  'Usman', 'Varga', 'Whitaker', 'Xu', 'Yamada', 'Zielinski', 'Achebe', 'Brennan', 'Chowdhury', 'Dubois',
];
