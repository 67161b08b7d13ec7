using SecureNmc.Core.Json;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Settings;

namespace SecureNmc.Core.DataExchange
{
    /// <summary>
    /// The trusted licensing service key from the settings (LicensingServiceKey), or null when none
    /// is set. Read by name so it works whether or not this build defines the setting itself
    /// (an undefined setting is kept verbatim in settings.json).
    /// </summary>
    public static class LicensingKeySetting
    {
        public const string Name = "LicensingServiceKey";

        public static TrustedServiceKey? Read(NmcSettings settings)
        {
            string? text;
            if (SettingDefinition.Find(Name) != null) text = settings.Get(Name) as string;
            else text = settings.UnknownEntries.TryGetValue(Name, out var raw) && raw is JsonString s ? s.Value : null;
            if (string.IsNullOrWhiteSpace(text)) return null;
            try { return TrustedServiceKey.Parse(text!); }
            catch (System.FormatException e)
            {
                throw new DataExchangeException(DataExchangeError.NoTrustedLicensingKey, "The LicensingServiceKey setting is not usable: " + e.Message);
            }
        }
    }
}
