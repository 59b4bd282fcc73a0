/**
 * Highly privileged Entra ID roles, by role template ID (the same in every tenant). CISA SCuBA
 * MS.AAD.7 lists Global, Privileged Role, User, SharePoint, Exchange, Hybrid Identity, Application
 * and Cloud Application Administrator; we add Security and Privileged Authentication
 * Administrator, which can disable or reset the controls that protect the others. IDs:
 * learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference.
 */
export const HIGHLY_PRIVILEGED_ROLES: Readonly<Record<string, string>> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': 'Privileged Authentication Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  'f28a1f50-f6e7-4571-818b-6a12f2af6b6c': 'SharePoint Administrator',
  '29232cdf-9323-42fd-ade2-1d097af3e4de': 'Exchange Administrator',
  '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2': 'Hybrid Identity Administrator',
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3': 'Application Administrator',
  '158c047a-c907-4556-b7ef-446551a6b5f7': 'Cloud Application Administrator',
  '194ae4cb-b126-40b2-bd5b-6091b380977d': 'Security Administrator',
};

/** The built-in "Phishing-resistant MFA" authentication strength. */
export const PHISHING_RESISTANT_STRENGTH_ID = '00000000-0000-0000-0000-000000000004';

/**
 * Authentication-method combinations of the built-in phishing-resistant strength: a custom
 * strength counts only when every combination it allows is one of these.
 */
export const PHISHING_RESISTANT_COMBINATIONS: ReadonlySet<string> = new Set([
  'windowsHelloForBusiness',
  'fido2',
  'x509CertificateMultiFactor',
]);

/**
 * `methodsRegistered` values (userRegistrationDetails) that are phishing-resistant. The list is
 * open-ended in Graph; anything else, known or not, does not count.
 */
export const PHISHING_RESISTANT_METHODS: ReadonlySet<string> = new Set([
  'fido2',
  'passKeyDeviceBound',
  'passKeyDeviceBoundAuthenticator',
  'passKeyDeviceBoundWindowsHello',
  'windowsHelloForBusiness',
  'macOsSecureEnclaveKey',
  'x509CertificateMultiFactor',
]);
