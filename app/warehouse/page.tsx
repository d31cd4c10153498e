import type { Metadata } from 'next';
import { WarehouseConsole } from '@/components/warehouse/warehouse-console';

export const metadata: Metadata = { title: 'Warehouse' };

export default function WarehousePage() {
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-3xl font-semibold tracking-tight">Warehouse: orders to pack</h1>
      <WarehouseConsole />
    </div>
  );
}
