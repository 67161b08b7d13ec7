using System;

namespace SecureNmc.Core.Settings
{
    /// <summary>A setting was given a value outside what it allows.</summary>
    public sealed class SettingValidationException : ArgumentException
    {
        public SettingValidationException(string settingName, string message) : base(message) => SettingName = settingName;

        public string SettingName { get; }
    }
}
