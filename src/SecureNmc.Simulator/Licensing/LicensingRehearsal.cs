using System;
using SecureNmc.Core.Licensing;

namespace SecureNmc.Simulator.Licensing
{
    /// <summary>
    /// A ready-seeded licensing service for rehearsals, demos and Pester: one account, cards with and
    /// without an included subscription, and unused Activation IDs of every family. The seed is listed
    /// here so scripts can rely on it.
    /// </summary>
    public static class LicensingRehearsal
    {
        public const string UserName = "rehearsal@example.com";
        public const string Password = "rehearsal-password";

        /// <summary>Card bought 2025-06-01 (included subscription until 2026-06-01), Smart-UPS family.</summary>
        public const string IncludedSmartUpsSerial = "RH2506000001";
        public const string IncludedSmartUpsMac = "28:29:86:AA:00:01";

        /// <summary>Card bought 2024-03-15: no included subscription, needs an Activation ID (rack PDU).</summary>
        public const string OldPduSerial = "RH2403000002";
        public const string OldPduMac = "00:C0:B7:AA:00:02";

        /// <summary>Unused Activation IDs: AID-SU-1Y…6Y (SWNMC3SU), AID-PDU-1Y…6Y (SWNMC3PDU), AID-EU1P-1Y…6Y (FWENMC1P-ST).</summary>
        public static string ActivationId(string familyCode, int years) => $"AID-{familyCode}-{years}Y";

        /// <summary>Seeds <paramref name="database"/> with the rehearsal entitlements.</summary>
        public static void Seed(EntitlementDatabase database)
        {
            database.AddAccount(UserName, Password);
            database.AddCard(IncludedSmartUpsSerial, IncludedSmartUpsMac, new DateTime(2025, 6, 1));
            database.AddCard(OldPduSerial, OldPduMac, new DateTime(2024, 3, 15));
            for (int years = 1; years <= 6; years++)
            {
                database.AddActivationId(ActivationId("SU", years), $"SWNMC3SU-{years}Y-DIGI");
                database.AddActivationId(ActivationId("PDU", years), $"SWNMC3PDU-{years}Y-DIGI");
                database.AddActivationId(ActivationId("EU1P", years), $"FWENMC1P-ST{years}Y-DIGI");
            }
        }

        /// <summary>
        /// Starts a seeded service on 127.0.0.1 (free port). Configure clients with <c>host.Endpoint</c> and
        /// <c>host.PublicKey.ToBase64()</c>. <paramref name="signingKey"/> (from <see cref="LicenceSigner.ExportPrivateKey"/>)
        /// keeps the trusted key stable across runs (null or "": a new key); <paramref name="clock"/> defaults to the real time.
        /// </summary>
        public static LicensingServiceHost Start(string? signingKey = null, ILicensingClock? clock = null)
        {
            var database = new EntitlementDatabase();
            Seed(database);
            signingKey = OptionalText.NoneIfEmpty(signingKey); // PowerShell passes $null as ""
            var signer = signingKey == null ? LicenceSigner.CreateNew() : LicenceSigner.FromPrivateKey(signingKey);
            return new LicensingServiceHost(database, signer, clock ?? SystemLicensingClock.Instance);
        }
    }
}
