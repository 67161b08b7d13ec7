using System;
using System.Runtime.InteropServices;
using System.Security;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// Lends a SecureString's characters to Core as a char[] that is zeroed afterwards, so the
    /// password never becomes an immutable managed string.
    /// </summary>
    internal static class SecurePassword
    {
        public static T Use<T>(SecureString? password, Func<char[]?, T> work)
        {
            if (password == null || password.Length == 0) return work(null);
            var chars = new char[password.Length];
            IntPtr unmanaged = IntPtr.Zero;
            try
            {
                unmanaged = Marshal.SecureStringToGlobalAllocUnicode(password);
                Marshal.Copy(unmanaged, chars, 0, chars.Length);
                return work(chars);
            }
            finally
            {
                if (unmanaged != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
                Array.Clear(chars, 0, chars.Length);
            }
        }
    }
}
