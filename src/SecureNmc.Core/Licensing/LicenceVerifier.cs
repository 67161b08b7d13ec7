using System;

namespace SecureNmc.Core.Licensing
{
    /// <summary>Checks a licence record against the trusted service key before anything stores or trusts it.</summary>
    public static class LicenceVerifier
    {
        /// <summary>True when the record is well-formed, names the trusted key and its signature verifies.</summary>
        public static bool IsAuthentic(LicenceRecord record, TrustedServiceKey key, out string? problem)
        {
            problem = null;
            if (record == null) { problem = "no record"; return false; }
            byte[] canonical;
            try { canonical = record.CanonicalBytes(); }
            catch (FormatException e) { problem = e.Message; return false; }
            if (!string.Equals(record.KeyId, key.KeyId, StringComparison.Ordinal))
            {
                problem = $"it was signed by key {record.KeyId}, not by the trusted licensing service key {key.KeyId}";
                return false;
            }
            byte[] signature;
            try { signature = Convert.FromBase64String(record.Signature ?? ""); }
            catch (FormatException) { problem = "its signature is not base64"; return false; }
            if (!key.Verify(canonical, signature))
            {
                problem = "its signature does not match its content (the record was altered or not issued by the licensing service)";
                return false;
            }
            return true;
        }

        /// <summary>Throws <see cref="LicensingException"/> (SignatureInvalid) naming the card when the record is not authentic.</summary>
        public static void Verify(LicenceRecord record, TrustedServiceKey key)
        {
            if (!IsAuthentic(record, key, out var problem))
                throw new LicensingException(LicensingErrorCode.SignatureInvalid,
                    $"The licence record for card {record?.CardSerial} was rejected: {problem}.", record?.CardSerial);
        }
    }
}
