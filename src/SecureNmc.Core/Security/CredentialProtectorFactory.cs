using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Storage;

namespace SecureNmc.Core.Security
{
    /// <summary>Picks the protector for this operating system.</summary>
    public static class CredentialProtectorFactory
    {
        /// <summary>DPAPI (CurrentUser) on Windows; AES-256-GCM with the data folder's key file elsewhere.</summary>
        public static ICredentialProtector ForCurrentUser(DataFolder dataFolder, ILogger? logger = null) =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                ? new DpapiCredentialProtector()
                : new KeyFileCredentialProtector(dataFolder, logger);
    }
}
