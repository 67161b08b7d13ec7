using System;
using System.Net;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Security
{
    /// <summary>
    /// Puts a password into a device only in protected form, and takes it out for a connection.
    /// The device id is the associated data, so a protected password copied to another device fails.
    /// </summary>
    public static class DeviceCredentials
    {
        /// <summary>Stores user name and password (encrypted) on the device. A null password clears the stored one.</summary>
        public static void SetCredential(this ICredentialProtector protector, NmcDevice device, string? userName, string? password)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            device.UserName = string.IsNullOrEmpty(userName) ? null : userName;
            device.ProtectedPassword = password == null ? null : ProtectString(protector, password, AssociatedDataFor(device));
        }

        /// <summary>
        /// As <see cref="SetCredential(ICredentialProtector, NmcDevice, string?, string?)"/> from a SecureString
        /// (PSCredential.Password). The password goes from the SecureString to UTF-8 bytes through buffers
        /// that are zeroed afterwards; it never becomes an immutable managed string.
        /// </summary>
        public static void SetCredential(this ICredentialProtector protector, NmcDevice device, string? userName, SecureString? password)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            if (password == null) { SetCredential(protector, device, userName, (string?)null); return; }
            IntPtr unmanaged = IntPtr.Zero;
            var chars = new char[password.Length];
            byte[]? utf8 = null;
            try
            {
                unmanaged = Marshal.SecureStringToGlobalAllocUnicode(password);
                Marshal.Copy(unmanaged, chars, 0, chars.Length);
                utf8 = Encoding.UTF8.GetBytes(chars);
                device.UserName = string.IsNullOrEmpty(userName) ? null : userName;
                device.ProtectedPassword = Convert.ToBase64String(protector.Protect(utf8, Encoding.UTF8.GetBytes(AssociatedDataFor(device))));
            }
            finally
            {
                if (unmanaged != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
                Array.Clear(chars, 0, chars.Length);
                if (utf8 != null) Array.Clear(utf8, 0, utf8.Length);
            }
        }

        public static void ClearCredential(NmcDevice device)
        {
            device.UserName = null;
            device.ProtectedPassword = null;
        }

        /// <summary>The stored credential for a connection, or null when the device has none stored.</summary>
        public static NetworkCredential? GetCredential(this ICredentialProtector protector, NmcDevice device)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            if (string.IsNullOrEmpty(device.UserName) || device.ProtectedPassword == null) return null;
            try
            {
                return new NetworkCredential(device.UserName, UnprotectString(protector, device.ProtectedPassword, AssociatedDataFor(device)));
            }
            catch (CredentialProtectionException e)
            {
                throw new CredentialProtectionException($"The stored password of device '{device.DisplayName}' cannot be used: {e.Message}", e);
            }
        }

        /// <summary>Protects a string (UTF-8) and returns base64, for storage in text files.</summary>
        public static string ProtectString(this ICredentialProtector protector, string plaintext, string associatedData)
        {
            var bytes = Encoding.UTF8.GetBytes(plaintext);
            try { return Convert.ToBase64String(protector.Protect(bytes, Encoding.UTF8.GetBytes(associatedData))); }
            finally { Array.Clear(bytes, 0, bytes.Length); }
        }

        public static string UnprotectString(this ICredentialProtector protector, string protectedBase64, string associatedData)
        {
            byte[] blob;
            try { blob = Convert.FromBase64String(protectedBase64); }
            catch (FormatException e) { throw new CredentialProtectionException("The stored secret is not valid base64 text; set the credential again.", e); }
            var bytes = protector.Unprotect(blob, Encoding.UTF8.GetBytes(associatedData));
            try { return Encoding.UTF8.GetString(bytes); }
            finally { Array.Clear(bytes, 0, bytes.Length); }
        }

        /// <summary>"SecureNmc.Device.Password/" + device id: binds the blob to one device and one purpose.</summary>
        public static string AssociatedDataFor(NmcDevice device) => "SecureNmc.Device.Password/" + device.Id.ToString("D");
    }
}
