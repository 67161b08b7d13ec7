namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>Texts the firmware cmdlets share.</summary>
    internal static class UpdateParameters
    {
        public static string NotAVersion(string text) =>
            $"-Version '{text}' is not a firmware version: use digits separated by dots, such as 2.5.0.6 (Get-NmcFirmware lists the versions in the library).";
    }
}
