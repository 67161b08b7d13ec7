using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;

namespace SecureNmc.PowerShell
{
    /// <summary>
    /// A running licensing simulator (Start-NmcLicensingSimulator): where it listens, the key it signs
    /// with, the rehearsal account and the seeded Activation IDs. The account is a throwaway rehearsal
    /// login published in the documentation, not a real secret; it is still handed out as a PSCredential.
    /// </summary>
    public sealed class LicensingSimulatorInfo
    {
        internal LicensingSimulatorInfo(int id, Uri endpoint, string serviceKey, string keyId, PSCredential credential, SecureString token,
            IReadOnlyList<string> activationIds, IReadOnlyList<string> cards, bool settingsApplied)
        {
            Id = id;
            Endpoint = endpoint;
            ServiceKey = serviceKey;
            KeyId = keyId;
            Credential = credential;
            Token = token;
            ActivationIds = activationIds;
            Cards = cards;
            SettingsApplied = settingsApplied;
            StartedAt = DateTimeOffset.Now;
        }

        public int Id { get; }

        /// <summary>The value for the LicensingEndpoint setting, e.g. http://127.0.0.1:41234/.</summary>
        public Uri Endpoint { get; }

        /// <summary>The value for the LicensingServiceKey setting (the simulator's public key).</summary>
        public string ServiceKey { get; }

        public string KeyId { get; }

        /// <summary>The rehearsal account, for Connect-NmcAccount -Credential.</summary>
        public PSCredential Credential { get; }

        /// <summary>A token issued to the rehearsal account, for rehearsing Connect-NmcAccount -Token.</summary>
        public SecureString Token { get; }

        /// <summary>Unused Activation IDs: AID-SU-1Y…6Y, AID-PDU-1Y…6Y, AID-EU1P-1Y…6Y.</summary>
        public IReadOnlyList<string> ActivationIds { get; }

        /// <summary>Serial numbers of the cards the simulated vendor knows (the seeded ones plus -Device).</summary>
        public IReadOnlyList<string> Cards { get; }

        /// <summary>True when Start set LicensingEndpoint and LicensingServiceKey to this simulator.</summary>
        public bool SettingsApplied { get; }

        public DateTimeOffset StartedAt { get; }

        public bool IsRunning { get; internal set; } = true;

        public override string ToString() => $"Licensing simulator {Id} at {Endpoint}";
    }
}
