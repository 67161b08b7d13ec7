using System;
using SecureNmc.Core.Security;
using SecureNmc.Core.Storage;

namespace SecureNmc.Core.Licensing
{
    /// <summary>Everything a <see cref="SubscriptionManager"/> needs; cmdlets build one per module session.</summary>
    public sealed class SubscriptionManagerOptions
    {
        public LicensingServiceOptions Service { get; set; } = new LicensingServiceOptions();

        /// <summary>The module's data folder; licensing keeps its files in its Licenses subfolder.</summary>
        public DataFolder? DataFolder { get; set; }

        /// <summary>Encrypts the stay-signed-in token at rest (the inventory's credential protection).</summary>
        public ICredentialProtector? SecretProtector { get; set; }

        /// <summary>The clock subscriptions are judged by (UTC days).</summary>
        public ILicensingClock Clock { get; set; } = SystemLicensingClock.Instance;

        internal void Validate()
        {
            Service.Validate();
            if (DataFolder == null) throw new ArgumentException("The data folder is not set.");
            if (SecretProtector == null) throw new ArgumentException("No secret protector is configured, so a sign-in could not be kept safely.");
            if (Clock == null) throw new ArgumentException("No clock is configured.");
        }
    }
}
