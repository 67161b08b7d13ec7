using System;

namespace SecureNmc.Core.Licensing
{
    /// <summary>Why a licensing step failed; the same names travel in the contract's "error.code".</summary>
    public enum LicensingErrorCode
    {
        Unknown = 0,
        /// <summary>The request was malformed (names the field).</summary>
        InvalidRequest,
        /// <summary>No token, or the token is unknown, revoked or expired: sign in again.</summary>
        NotSignedIn,
        /// <summary>User name or password rejected.</summary>
        InvalidCredentials,
        /// <summary>No purchased subscription has this Activation ID.</summary>
        UnknownActivationId,
        /// <summary>The Activation ID's family cannot license this card's application type.</summary>
        FamilyMismatch,
        /// <summary>The Activation ID already licenses another card: one ID licenses one card.</summary>
        ActivationIdAlreadyUsed,
        /// <summary>The subscription expired; an expired subscription cannot be renewed.</summary>
        SubscriptionExpired,
        /// <summary>The card has no included subscription (bought before 1 April 2024, or not registered).</summary>
        NoIncludedSubscription,
        /// <summary>The card's serial number is known with another MAC address, or another family.</summary>
        CardIdentityMismatch,
        /// <summary>The card has not been queried (serial number or application type unknown).</summary>
        CardNotQueried,
        /// <summary>The service could not be reached or failed (5xx, timeout, connection refused).</summary>
        ServiceUnavailable,
        /// <summary>The service answered something that does not follow the contract.</summary>
        ProtocolError,
        /// <summary>A licence record's signature did not verify with the trusted service key.</summary>
        SignatureInvalid,
        /// <summary>An offline request or response file is unusable (names the file and problem).</summary>
        InvalidFile,
    }

    /// <summary>A licensing failure with a code a cmdlet can map to an error category. Never carries a token or password.</summary>
    public sealed class LicensingException : Exception
    {
        public LicensingException(LicensingErrorCode code, string message, string? cardSerial = null, Exception? inner = null)
            : base(message, inner)
        {
            Code = code;
            CardSerial = cardSerial;
        }

        public LicensingErrorCode Code { get; }
        public string? CardSerial { get; }
    }
}
