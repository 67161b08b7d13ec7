using System;
using System.Runtime.InteropServices;
using System.Security;

namespace SecureNmc.Core.Licensing
{
    /// <summary>
    /// A licensing service bearer token. Its text is reachable only inside the assembly (to put it in an
    /// Authorization header or encrypt it at rest); ToString never shows it, so it cannot leak into output,
    /// logs or exception messages by accident.
    /// </summary>
    public sealed class AccessToken
    {
        internal AccessToken(string value)
        {
            if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException("The token is empty.");
            foreach (char c in value)
                if (c <= ' ' || c > '~') throw new ArgumentException("The token contains characters a bearer token cannot have.");
            if (value.Length > 4096) throw new ArgumentException("The token is longer than 4096 characters.");
            Value = value;
        }

        internal string Value { get; }

        /// <summary>From a runbook's SecureString (e.g. a secret from a vault).</summary>
        public static AccessToken FromSecureString(SecureString token)
        {
            if (token == null) throw new ArgumentNullException(nameof(token));
            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(token);
                return new AccessToken(Marshal.PtrToStringUni(ptr, token.Length).Trim());
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }

        public static AccessToken FromString(string token) => new AccessToken((token ?? "").Trim());

        public override string ToString() => "(access token hidden)";
    }

    /// <summary>Who is signed in and until when (never the token).</summary>
    public sealed class AccountInfo
    {
        public AccountInfo(string account, DateTimeOffset expiresAt, Uri endpoint, bool staySignedIn)
        {
            Account = account;
            ExpiresAt = expiresAt;
            Endpoint = endpoint;
            StaySignedIn = staySignedIn;
        }

        public string Account { get; }
        public DateTimeOffset ExpiresAt { get; }
        public Uri Endpoint { get; }

        /// <summary>True when the token is kept (encrypted) in the data folder for later sessions.</summary>
        public bool StaySignedIn { get; }

        public override string ToString() => $"{Account} at {Endpoint} (until {LicensingDates.FormatInstant(ExpiresAt)})";
    }
}
