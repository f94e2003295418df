namespace K210Kpu.PostProcessing;

/// <summary>
/// The quicksort of Bentley and McIlroy, "Engineering a Sort Function" (1993), in the form of the 4.4BSD
/// <c>qsort</c> that MaixPy links (<c>omv/img/qsort.c</c>): median-of-three (ninther above 40 elements) pivot,
/// three-way partition that gathers equal keys at both ends, insertion sort below 7 elements or when a partition
/// pass made no swap, recursion on the left part and iteration on the right. Unstable; this implementation performs
/// the same comparisons and swaps in the same order, so elements that compare equal end in the same order as there.
/// </summary>
internal static class BsdQsort
{
    /// <summary>Sorts <paramref name="a"/> in place with the C comparison convention (negative, zero, positive).</summary>
    public static void Sort<T, TComparer>(Span<T> a, ref TComparer comparer)
        where TComparer : struct, IBsdComparer<T>
    {
        while (true)
        {
            int n = a.Length;
            bool swapped = false;
            if (n < 7)
            {
                InsertionSort(a, ref comparer);
                return;
            }

            int pm = n / 2;
            if (n > 7)
            {
                int pl = 0;
                int pn = n - 1;
                if (n > 40)
                {
                    int d = n / 8;
                    pl = Med3(a, pl, pl + d, pl + (2 * d), ref comparer);
                    pm = Med3(a, pm - d, pm, pm + d, ref comparer);
                    pn = Med3(a, pn - (2 * d), pn - d, pn, ref comparer);
                }

                pm = Med3(a, pl, pm, pn, ref comparer);
            }

            Swap(a, 0, pm);
            int pa = 1, pb = 1;
            int pc = n - 1, pd = n - 1;
            while (true)
            {
                int r;
                while (pb <= pc && (r = comparer.Compare(a[pb], a[0])) <= 0)
                {
                    if (r == 0)
                    {
                        swapped = true;
                        Swap(a, pa, pb);
                        pa++;
                    }

                    pb++;
                }

                while (pb <= pc && (r = comparer.Compare(a[pc], a[0])) >= 0)
                {
                    if (r == 0)
                    {
                        swapped = true;
                        Swap(a, pc, pd);
                        pd--;
                    }

                    pc--;
                }

                if (pb > pc)
                {
                    break;
                }

                Swap(a, pb, pc);
                swapped = true;
                pb++;
                pc--;
            }

            if (!swapped)
            {
                InsertionSort(a, ref comparer);
                return;
            }

            int s = Math.Min(pa, pb - pa);
            VecSwap(a, 0, pb - s, s);
            s = Math.Min(pd - pc, n - pd - 1);
            VecSwap(a, pb, n - s, s);
            if ((s = pb - pa) > 1)
            {
                Sort(a[..s], ref comparer);
            }

            if ((s = pd - pc) > 1)
            {
                // Iterate on the right part instead of recursing, as the original does.
                a = a[(n - s)..];
                continue;
            }

            return;
        }
    }

    private static void InsertionSort<T, TComparer>(Span<T> a, ref TComparer comparer)
        where TComparer : struct, IBsdComparer<T>
    {
        for (int m = 1; m < a.Length; m++)
        {
            for (int l = m; l > 0 && comparer.Compare(a[l - 1], a[l]) > 0; l--)
            {
                Swap(a, l, l - 1);
            }
        }
    }

    private static int Med3<T, TComparer>(Span<T> a, int i, int j, int k, ref TComparer comparer)
        where TComparer : struct, IBsdComparer<T>
    {
        return comparer.Compare(a[i], a[j]) < 0
            ? (comparer.Compare(a[j], a[k]) < 0 ? j : (comparer.Compare(a[i], a[k]) < 0 ? k : i))
            : (comparer.Compare(a[j], a[k]) > 0 ? j : (comparer.Compare(a[i], a[k]) < 0 ? i : k));
    }

    private static void Swap<T>(Span<T> a, int i, int j) => (a[i], a[j]) = (a[j], a[i]);

    private static void VecSwap<T>(Span<T> a, int i, int j, int count)
    {
        for (int t = 0; t < count; t++)
        {
            Swap(a, i + t, j + t);
        }
    }
}
