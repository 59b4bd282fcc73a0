/** Word lists and places the tenant generator draws from; kept small so output stays compact. */

export const FIRST_NAMES = [
  'Aaliyah',
  'Adele',
  'Ahmed',
  'Aiko',
  'Alex',
  'Amara',
  'Ana',
  'Andre',
  'Anika',
  'Arjun',
  'Beatriz',
  'Ben',
  'Carla',
  'Chen',
  'Chloe',
  'Daniel',
  'Diego',
  'Elena',
  'Emeka',
  'Emily',
  'Fatima',
  'Felix',
  'Grace',
  'Hana',
  'Henrik',
  'Ines',
  'Isaac',
  'Jamal',
  'Jin',
  'Julia',
  'Kai',
  'Kenji',
  'Laura',
  'Leila',
  'Liam',
  'Lucia',
  'Malik',
  'Maria',
  'Mateo',
  'Maya',
  'Mei',
  'Mohammed',
  'Nadia',
  'Noah',
  'Olivia',
  'Omar',
  'Priya',
  'Rafael',
  'Rosa',
  'Samir',
  'Sara',
  'Sofia',
  'Tariq',
  'Thomas',
  'Valentina',
  'Wei',
  'Yara',
  'Yusuf',
  'Zoe',
  'Zara',
] as const;

export const LAST_NAMES = [
  'Adams',
  'Agarwal',
  'Alvarez',
  'Baker',
  'Brooks',
  'Campbell',
  'Chen',
  'Costa',
  'Diaz',
  'Dubois',
  'Evans',
  'Fischer',
  'Garcia',
  'Gupta',
  'Haddad',
  'Hansen',
  'Ito',
  'Jensen',
  'Johnson',
  'Kim',
  'Kowalski',
  'Lee',
  'Lopez',
  'Martin',
  'Mensah',
  'Moreau',
  'Muller',
  'Nakamura',
  'Nguyen',
  'Novak',
  'Okafor',
  'Olsen',
  'Patel',
  'Perez',
  'Rossi',
  'Santos',
  'Schmidt',
  'Silva',
  'Singh',
  'Smith',
  'Tanaka',
  'Taylor',
  'Torres',
  'Wagner',
  'Walker',
  'Wang',
  'Williams',
  'Wilson',
  'Yamamoto',
  'Young',
] as const;

export const DEPARTMENTS = [
  'Cardiology',
  'Emergency',
  'Finance',
  'Human Resources',
  'IT',
  'Laboratory',
  'Nursing',
  'Oncology',
  'Pediatrics',
  'Pharmacy',
  'Radiology',
  'Billing',
  'Facilities',
  'Legal',
  'Research',
] as const;

/** A place sign-ins come from: ISO 3166 country, coordinates, and a made-up /16 its IPs come from. */
export interface Place {
  readonly city: string;
  readonly state: string;
  readonly country: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly prefix: string;
}

/** Home offices (the tenant works from the United States). */
export const HOME_PLACES: readonly Place[] = [
  { city: 'Seattle', state: 'Washington', country: 'US', latitude: 47.6062, longitude: -122.3321, prefix: '73.53' },
  { city: 'Redmond', state: 'Washington', country: 'US', latitude: 47.674, longitude: -122.1215, prefix: '73.97' },
  { city: 'Portland', state: 'Oregon', country: 'US', latitude: 45.5152, longitude: -122.6784, prefix: '71.193' },
  { city: 'Boston', state: 'Massachusetts', country: 'US', latitude: 42.3601, longitude: -71.0589, prefix: '96.237' },
  { city: 'Chicago', state: 'Illinois', country: 'US', latitude: 41.8781, longitude: -87.6298, prefix: '98.215' },
  { city: 'Denver', state: 'Colorado', country: 'US', latitude: 39.7392, longitude: -104.9903, prefix: '67.165' },
  { city: 'Austin', state: 'Texas', country: 'US', latitude: 30.2672, longitude: -97.7431, prefix: '70.112' },
  { city: 'Atlanta', state: 'Georgia', country: 'US', latitude: 33.749, longitude: -84.388, prefix: '24.99' },
];

/** Places that appear only in injected anomalies. */
export const FOREIGN_PLACES: readonly Place[] = [
  { city: 'Moscow', state: 'Moscow', country: 'RU', latitude: 55.7558, longitude: 37.6173, prefix: '95.165' },
  { city: 'Lagos', state: 'Lagos', country: 'NG', latitude: 6.5244, longitude: 3.3792, prefix: '102.89' },
  { city: 'Sao Paulo', state: 'Sao Paulo', country: 'BR', latitude: -23.5505, longitude: -46.6333, prefix: '177.71' },
  { city: 'Bucharest', state: 'Bucharest', country: 'RO', latitude: 44.4268, longitude: 26.1025, prefix: '86.124' },
];

export const APPS = [
  'Office 365 Exchange Online',
  'Microsoft Teams',
  'Office 365 SharePoint Online',
  'Microsoft Outlook',
  'My Apps',
] as const;

/**
 * First-party client app IDs, as sign-ins carry them in `appId` (the beta log is read with it):
 * the apps above, the Azure portal (where break-glass accounts go) and the Microsoft
 * Authentication Broker, the client that device-code phishing kits name.
 */
export const APP_IDS: Readonly<Record<string, string>> = {
  'Office 365 Exchange Online': '00000002-0000-0ff1-ce00-000000000000',
  'Microsoft Teams': '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
  'Office 365 SharePoint Online': '00000003-0000-0ff1-ce00-000000000000',
  'Microsoft Outlook': '5d661950-3475-41cd-a2c3-d671a3162bc1',
  'My Apps': '2793995e-0a7d-40d7-bd35-6968ba142197',
  'Azure Portal': 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
  'Microsoft Authentication Broker': '29d9ed98-a469-4536-ade2-f981bc1d605e',
};

/** The meeting-room device that signs in with a device code, as Teams Rooms on Android does. */
export const CONFERENCE_ROOM_DEVICE = {
  id: '4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e50',
  name: 'CONF-ROOM-3A',
  operatingSystem: 'Android',
} as const;

/** Legacy clients as `clientAppUsed` spells them. */
export const LEGACY_CLIENTS = [
  'IMAP4',
  'POP3',
  'Authenticated SMTP',
  'Exchange ActiveSync',
  'Exchange Web Services',
] as const;

/** Phishing-resistant and other methods, as userRegistrationDetails names them. */
export const STRONG_METHODS = ['fido2', 'windowsHelloForBusiness'] as const;
export const COMMON_METHODS = ['microsoftAuthenticatorPush', 'softwareOneTimePasscode', 'mobilePhone'] as const;

/** DKIM public keys (DER SubjectPublicKeyInfo, base64) for generated DNS: one 2048-bit, one too short. */
export const DKIM_KEY_2048 =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApEnKfXPruHFXBjwXb0pCxyS9F+v1BDd6Xch0PnsOjgfPaSS3j4s2U9X4UNZBJnY2a3SqDlnbe+lr3e5kw6QPVx4QCqLwdQttwfPtuAgarzUvjx4SdEhBrfejJA2G+MvaDByG95QtD03jYq0QQkARC0YJXfda2n2w1NeadAzkb0FYuJkHcvwd0BlvnksYCG5+m4UaSJbX5W385RRrvMvKYyFA8Q5Ikbs09+dvCSaHCuYYwXzPHDfLsnj1WUqiQ9JUQsnlK5qVhFlJ22ht7hZJpPv6GZTD2W/EGdepi1VbwWrgfGVPhl9nZMOZL6Nec/IcVu8AcEs3Y7mU7Kwa+m8FVwIDAQAB';
export const DKIM_KEY_1024 =
  'MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDR4pkyWZDm7k/Q03sHirFI4zYjvPcwJGRd7Lc3HnAj9xUoZxGgnugMM0VrMVUwEghaWU9S1NZ3ijceJo+LTbYVIYOps1YWt06px+NBd/r4ZlocDZG2tSdwYprQN6qHNF5koJntCLRRPsaG39xoEheBeLwAVrWCVagwWXS50jFM7wIDAQAB';

/** Microsoft 365's SPF include as published (abridged to its IPv4 and IPv6 ranges). */
export const M365_SPF =
  'v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 ip4:52.100.0.0/15 ip4:52.102.0.0/16 ip4:52.103.0.0/17 ip4:104.47.0.0/17 ip6:2a01:111:f400::/48 ip6:2a01:111:f403::/49 ip6:2a01:111:f403:8000::/50 ip6:2a01:111:f403:c000::/51 ip6:2a01:111:f403:f000::/52 -all';
